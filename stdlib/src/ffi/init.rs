//! Initializers, with LuaJIT's rules ("Initializers" and "Table Initializers" in its
//! semantics document): what `ffi.new` and ctype constructors do with their arguments, and
//! how Lua tables fill arrays, structs and unions (also when assigned to a member).
#![forbid(unsafe_code)]

use rivet_ffi::ctype::{ArrayLen, RecordKind};
use rivet_ffi::CTypeId;
use rivet_lang::gc::Gc;
use rivet_lang::vm::table::Table;
use rivet_lang::{LuaError, LuaResult, Value};

use super::cdata::Form;
use super::convert::{Ctx, Loc, Mode};
use super::state::cdata_of;
use super::typeinfo::{InitSlot, RecordInfo, Shape, TypeInfo};

impl Ctx<'_> {
    /// LuaJIT's table initializer for arrays: elements from `t[0]` (or `t[1]` when `t[0]` is
    /// nil) up to the first nil; a single element fills a fixed-size array, otherwise the rest
    /// is zeroed.
    pub(super) fn array_from_table(
        &mut self,
        ty: CTypeId,
        elem: CTypeId,
        elem_size: u64,
        size: Option<u64>,
        loc: Loc,
        t: Gc<Table>,
    ) -> LuaResult<()> {
        let mut offset = 0u64;
        let mut i = 0i64;
        loop {
            let v = t.get_int(i);
            if v.is_nil() {
                if i == 0 {
                    i = 1;
                    continue;
                }
                break;
            }
            if size.is_some_and(|s| offset >= s) {
                return Err(self.too_many_initializers(ty));
            }
            self.store(elem, Loc { place: loc.place.offset(offset as i64), ..loc }, v, Mode::Implicit, None)?;
            offset += elem_size;
            i += 1;
        }
        self.fill_rest(loc, offset, elem_size, size)
    }

    /// After `filled` bytes of initialized elements: repeats a single element over the rest
    /// of an array of known `size`, or zeroes the rest.
    fn fill_rest(&mut self, loc: Loc, filled: u64, elem_size: u64, size: Option<u64>) -> LuaResult<()> {
        let Some(size) = size else { return Ok(()) };
        if filled == elem_size && elem_size > 0 {
            let mut at = filled;
            while at < size {
                let dst = Loc { place: loc.place.offset(at as i64), ..loc };
                self.copy_object(dst, loc, elem_size as usize)?;
                at += elem_size;
            }
            Ok(())
        } else if filled < size {
            loc.place.offset(filled as i64).fill((size - filled) as usize, 0).map_err(|e| self.access_error(e))
        } else {
            Ok(())
        }
    }

    pub fn too_many_initializers(&mut self, ty: CTypeId) -> LuaError {
        let name = self.st.render(ty);
        self.error(&format!("too many initializers for '{name}'"))
    }

    /// LuaJIT's table initializer for structs and unions: members in declaration order from
    /// `t[0]` or `t[1]` on, up to the first nil; when neither is present, by name. A union
    /// (also an anonymous one) takes one member. `index`: the next positional index, or -1
    /// once members are taken by name.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn record_from_table(
        &mut self,
        r: &RecordInfo,
        slots: &[InitSlot],
        is_union: bool,
        loc: Loc,
        t: Gc<Table>,
        index: &mut i64,
        count: Option<u64>,
    ) -> LuaResult<()> {
        for slot in slots {
            match slot {
                InitSlot::Member(m) => {
                    let m = &r.members[*m];
                    let v = if *index >= 0 {
                        let nothing_taken = *index == 0;
                        let mut v = t.get_int(*index);
                        if v.is_nil() && *index == 0 {
                            *index = 1;
                            v = t.get_int(1);
                        }
                        if v.is_nil() {
                            if !nothing_taken {
                                return Ok(()); // stop at the first nil
                            }
                            *index = -1;
                            self.lua_field(t, &m.name)
                        } else {
                            *index += 1;
                            v
                        }
                    } else {
                        self.lua_field(t, &m.name)
                    };
                    if v.is_nil() {
                        continue;
                    }
                    self.store_member(m, loc, v, count)?;
                    if is_union {
                        return Ok(());
                    }
                }
                InitSlot::Union(inner) => {
                    self.record_from_table(r, inner, true, loc, t, index, count)?;
                    if is_union {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    }

    fn lua_field(&mut self, t: Gc<Table>, name: &[u8]) -> Value {
        let key = self.lua.new_string(name);
        t.get_str(key)
    }

    /// Initializes a new object of type `ty` at `loc` from the initializers `args` (LuaJIT's
    /// rules: none zero-fills; one that is not itself an aggregate value initializes the object
    /// or, for an aggregate, its first element or member; several fill elements or members in
    /// order).
    pub fn initialize(&mut self, ty: CTypeId, loc: Loc, args: &[Value], count: Option<u64>) -> LuaResult<()> {
        if args.is_empty() {
            return Ok(());
        }
        let info = self.st.info(ty);
        if args.len() == 1 && !self.is_flat_initializer(&info, args[0]) {
            return self.store(ty, loc, args[0], Mode::Implicit, count);
        }
        match &info.shape {
            Shape::Array { elem, len, elem_size, .. } => {
                let size = match len {
                    ArrayLen::Fixed(n) => n * elem_size,
                    _ => count.unwrap_or(0) * elem_size,
                };
                if args.len() as u64 * elem_size > size {
                    return Err(self.too_many_initializers(ty));
                }
                for (i, &v) in args.iter().enumerate() {
                    let at = Loc { place: loc.place.offset((i as u64 * elem_size) as i64), ..loc };
                    self.store(*elem, at, v, Mode::Implicit, None)?;
                }
                self.fill_rest(loc, args.len() as u64 * elem_size, *elem_size, Some(size))
            }
            Shape::Record(r) => {
                let mut used = 0;
                self.record_from_args(r, &r.init_order, r.kind == RecordKind::Union, loc, args, &mut used, count)?;
                if used < args.len() {
                    return Err(self.too_many_initializers(ty));
                }
                Ok(())
            }
            Shape::Complex(s) if args.len() == 2 => {
                let re = self.number_of(args[0], ty, Mode::Implicit)?;
                let im = self.number_of(args[1], ty, Mode::Implicit)?;
                loc.place.store(*s, re).map_err(|e| self.access_error(e))?;
                loc.place.offset(s.size() as i64).store(*s, im).map_err(|e| self.access_error(e))
            }
            _ => Err(self.too_many_initializers(ty)),
        }
    }

    /// LuaJIT's `lj_cconv_multi_init`: whether a single initializer of an aggregate fills its
    /// first element or member (rather than the whole object).
    fn is_flat_initializer(&self, info: &TypeInfo, v: Value) -> bool {
        let is_struct = matches!(info.shape, Shape::Record(_));
        if !(is_struct || matches!(info.shape, Shape::Array { .. })) {
            return false;
        }
        match v {
            Value::Table(_) => false,
            Value::Str(_) => is_struct,
            _ => match cdata_of(&v) {
                Some((_, cd)) if cd.form != Form::CType => self.st.types().unqualified(cd.ty).0 != info.unqualified,
                _ => true,
            },
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn record_from_args(
        &mut self,
        r: &RecordInfo,
        slots: &[InitSlot],
        is_union: bool,
        loc: Loc,
        args: &[Value],
        used: &mut usize,
        count: Option<u64>,
    ) -> LuaResult<()> {
        for slot in slots {
            if *used >= args.len() {
                return Ok(());
            }
            match slot {
                InitSlot::Member(m) => {
                    let v = args[*used];
                    *used += 1;
                    self.store_member(&r.members[*m], loc, v, count)?;
                }
                InitSlot::Union(inner) => self.record_from_args(r, inner, true, loc, args, used, count)?,
            }
            if is_union {
                return Ok(());
            }
        }
        Ok(())
    }
}
