//! `ffi.layout(ct [, target])`: the layout of a type on the host or on a named target, as a
//! table, with a `tostring` that draws it (offsets, sizes, padding holes, the rule used).
//!
//! ```text
//! struct s on x86_64-linux (GCC rules): size 16, align 8
//!   offset  size  member
//!        0     1  char c
//!        1     7  (padding)
//!        8     8  double d
//! ```
#![forbid(unsafe_code)]

use rivet_ffi::ctype::{FieldLayout, Layout};
use rivet_ffi::{RecordDialect, Target};
use rivet_lang::gc::Gc;
use rivet_lang::vm::table::Table;
use rivet_lang::{Lua, LuaResult, Value};

use super::args::check_ctype;
use super::convert::Ctx;

pub(crate) fn ffi_layout(lua: &mut Lua) -> LuaResult<usize> {
    let mut ctx = Ctx::new(lua);
    let ty = check_ctype(&mut ctx, 1)?;
    let target = match ctx.lua.arg(2) {
        Value::Nil => ctx.st.host,
        Value::Str(s) => match Target::from_name(&s.to_str_lossy()) {
            Some(t) => t,
            None => {
                let names: Vec<_> = Target::ALL.iter().map(|t| t.name()).collect();
                let msg = format!("unknown target '{}' (known: {})", s.to_str_lossy(), names.join(", "));
                return Err(ctx.lua.arg_error(2, &msg));
            }
        },
        _ => return Err(ctx.lua.type_error(2, "string")),
    };
    let layout = ctx.st.types().layout(ty, target);
    let layout = match layout {
        Ok(l) => l,
        Err(e) => return Err(ctx.error(&e.to_string())),
    };
    let type_name = ctx.st.render(ty);
    let fields: Vec<FieldView> = layout.fields.iter().map(|f| FieldView::new(&ctx, f)).collect();
    let text = draw(&type_name, target, &layout, &fields);

    let lua = &mut *ctx.lua;
    let t = lua.new_table();
    lua.push(Value::Table(t));
    set_str(lua, t, "type", &type_name);
    set_str(lua, t, "target", target.name());
    lua.set_field(t, "size", Value::Int(layout.size as i64));
    lua.set_field(t, "align", Value::Int(i64::from(layout.align)));
    if let Some(rule) = layout.dialect.map(rule_name) {
        set_str(lua, t, "rule", rule);
    }
    if let Some(tail) = layout.tail {
        lua.set_field(t, "tail_offset", Value::Int(tail.offset as i64));
        lua.set_field(t, "tail_elem_size", Value::Int(tail.elem_size as i64));
    }
    let list = lua.new_table();
    lua.set_field(t, "fields", Value::Table(list));
    for (i, f) in fields.iter().enumerate() {
        let ft = lua.new_table();
        list.set_int(i as i64 + 1, Value::Table(ft));
        if let Some(name) = &f.name {
            set_str(lua, ft, "name", name);
        }
        set_str(lua, ft, "type", &f.type_name);
        lua.set_field(ft, "offset", Value::Int(f.offset as i64));
        lua.set_field(ft, "size", Value::Int(f.size as i64));
        lua.set_field(ft, "align", Value::Int(i64::from(f.align)));
        if let Some((pos, width)) = f.bits {
            lua.set_field(ft, "bit_pos", Value::Int(i64::from(pos)));
            lua.set_field(ft, "bit_width", Value::Int(i64::from(width)));
        }
    }
    let text = lua.str_value(&text);
    let show = lua.new_native_with_upvalues("ffi.layout.__tostring", layout_tostring, vec![text]);
    let mt = lua.new_table();
    lua.set_field(mt, "__tostring", show);
    t.set_metatable(Some(mt));
    Ok(1)
}

fn layout_tostring(lua: &mut Lua) -> LuaResult<usize> {
    let text = lua.native_upvalue(0);
    lua.push(text);
    Ok(1)
}

fn set_str(lua: &mut Lua, t: Gc<Table>, key: &str, value: &str) {
    let v = lua.str_value(value);
    lua.set_field(t, key, v);
}

fn rule_name(d: RecordDialect) -> &'static str {
    match d {
        RecordDialect::Gcc { .. } => "gcc",
        RecordDialect::Clang { .. } => "clang",
        RecordDialect::Msvc => "msvc",
    }
}

/// One member as `ffi.layout` shows it.
struct FieldView {
    name: Option<String>,
    type_name: String,
    /// The member as C declares it (`char name[5]`).
    decl: String,
    offset: u64,
    size: u64,
    align: u32,
    /// Bit-fields: the first bit in the unit at `offset`, and the width.
    bits: Option<(u32, u32)>,
    /// First bit from the start of the record (bit-fields) for the drawing.
    bit_offset: Option<u64>,
}

impl FieldView {
    fn new(ctx: &Ctx, f: &FieldLayout) -> FieldView {
        FieldView {
            name: f.name.as_ref().map(|n| n.to_string()),
            type_name: ctx.st.render(f.ty),
            decl: match &f.name {
                Some(n) => ctx.st.types().render_decl(f.ty, n),
                None => ctx.st.render(f.ty),
            },
            offset: f.offset,
            size: f.size,
            align: f.align,
            bits: f.bit_pos().zip(f.bitfield.map(|b| b.width)),
            bit_offset: f.bitfield.map(|b| b.bit_offset),
        }
    }

    /// The bytes the member occupies: `[start, end)`.
    fn span(&self) -> (u64, u64) {
        match (self.bit_offset, self.bits) {
            (Some(bit), Some((_, width))) => (bit / 8, (bit + u64::from(width)).div_ceil(8)),
            _ => (self.offset, self.offset + self.size),
        }
    }
}

/// The text `tostring` shows.
fn draw(type_name: &str, target: Target, layout: &Layout, fields: &[FieldView]) -> String {
    let rule = match layout.dialect {
        Some(RecordDialect::Gcc { .. }) => " (GCC rules)",
        Some(RecordDialect::Clang { .. }) => " (Clang rules)",
        Some(RecordDialect::Msvc) => " (MSVC rules)",
        None => "",
    };
    let mut out = format!("{type_name} on {}{rule}: size {}, align {}", target.name(), layout.size, layout.align);
    if let Some(tail) = layout.tail {
        out.push_str(&format!(", then {}-byte elements from offset {}", tail.elem_size, tail.offset));
    }
    if fields.is_empty() {
        return out;
    }
    out.push_str("\n  offset  size  member");
    let is_union = type_name.starts_with("union");
    let mut end = 0u64;
    for f in fields {
        let (start, stop) = f.span();
        if !is_union && start > end {
            out.push_str(&format!("\n  {end:>6}  {:>4}  (padding)", start - end));
        }
        let decl = match &f.name {
            Some(_) => f.decl.clone(),
            None if f.bits.is_some() => format!("{} (unnamed)", f.decl),
            None => format!("{} (anonymous)", f.decl),
        };
        match f.bits {
            Some((pos, width)) => out.push_str(&format!(
                "\n  {:>6}  {:>4}  {decl} : {width} (bits {pos}..{} of the {}-byte unit)",
                f.offset,
                "-",
                pos + width.max(1) - 1,
                f.size
            )),
            None => out.push_str(&format!("\n  {:>6}  {:>4}  {decl}", f.offset, f.size)),
        }
        end = end.max(stop);
    }
    if !is_union && layout.size > end {
        out.push_str(&format!("\n  {end:>6}  {:>4}  (padding)", layout.size - end));
    }
    out
}
