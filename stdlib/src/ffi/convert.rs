//! Conversions between Lua values and C objects, with the rules of LuaJIT's FFI semantics
//! ("Conversions from C types to Lua objects", "... from Lua objects to C types", "between
//! C types"), except where Lua 5.4's 64-bit integers make a difference:
//! - every integer C type (also `int64_t`, `uint64_t`, enums and bit-fields) is read as a Lua
//!   integer, not as a boxed 64-bit cdata; a `uint64_t` at or above 2^63 reads as the negative
//!   integer with the same bits (as Lua 5.4 itself reads `0xffffffffffffffff`), and storing
//!   that integer back gives the same bits;
//! - a Lua string converted to a pointer outside a C call is copied into a zero-terminated
//!   buffer owned by a hidden cdata, which the pointer keeps alive (LuaJIT points into the
//!   string and may dangle).
//!
//! A [`Ctx`] carries what a conversion needs: the runtime, the ffi state and the roots.
#![forbid(unsafe_code)]

use std::rc::Rc;

use rivet_ffi::ctype::{ArrayLen, CType, RecordKind};
use rivet_ffi::CTypeId;
use rivet_lang::gc::Gc;
use rivet_lang::vm::userdata::{FastPaths, UserData};
use rivet_lang::{Lua, LuaError, LuaResult, Value};

use super::anchor;
use super::cdata::{convert_num, AccessError, CData, Form, Num, Place, Typed};
use super::state::{cdata_of, state, FfiState, Roots};
use super::typeinfo::{Member, RecordInfo, Scalar, Shape, TypeInfo};

/// The largest object `ffi.new` makes, as in LuaJIT (2 GiB - 1): beyond it C memory is
/// reached through pointers. The bound also keeps a replicated initializer from touching
/// gigabytes of memory an overcommitting kernel handed out lazily.
pub(crate) const MAX_OBJECT_SIZE: u64 = (1 << 31) - 1;

/// The interpreter's shortcuts for every cdata: C calls, and element and member accesses of
/// numbers (see `rivet_lang::vm::userdata::FastPaths`).
static CDATA_FAST_PATHS: FastPaths = FastPaths {
    call: Some(super::call::fast_call),
    index: Some(super::index::fast_index),
    newindex: Some(super::index::fast_newindex),
    native_call: Some(super::native_entry::native_call_of),
};

/// The context of one ffi operation.
pub(crate) struct Ctx<'l> {
    pub lua: &'l mut Lua,
    pub st: Rc<FfiState>,
    pub roots: Roots,
}

/// Where a C object is and which cdata keeps its memory alive (`None` for memory the
/// script reached through an address of its own).
#[derive(Clone, Copy)]
pub(crate) struct Loc {
    pub place: Place,
    pub owner: Option<Gc<UserData>>,
}

/// Which conversion rules apply: the implicit ones, or those of `ffi.cast`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Mode {
    Implicit,
    Cast,
}

/// The memory location of a cdata's object: its own bytes, or (for a reference) the bytes
/// of the cdata in its user value 0.
pub(crate) fn object_loc(ud: Gc<UserData>, cd: &CData) -> Loc {
    match cd.form {
        Form::Value => Loc { place: cd.own_place(), owner: Some(ud) },
        _ => owned_loc(cd.addr(), ud.user_value(0)),
    }
}

/// `addr` bounded by the memory of `owner` when it is a cdata.
#[inline]
fn owned_loc(addr: usize, owner: Option<Value>) -> Loc {
    match owner {
        Some(Value::UserData(o)) => match o.payload::<CData>() {
            Some(ocd) => Loc { place: Place::within(addr, ocd), owner: Some(o) },
            None => Loc { place: Place::raw(addr), owner: None },
        },
        _ => Loc { place: Place::raw(addr), owner: None },
    }
}

/// `addr` bounded by the memory of `owner`, if any.
pub(crate) fn owner_loc(addr: usize, owner: Option<Gc<UserData>>) -> Loc {
    owned_loc(addr, owner.map(Value::UserData))
}

/// A pointer cdata's target: the address it holds, bounded by the memory of the cdata it was
/// derived from (user value 0), if any. `None` for NULL.
#[inline]
pub(crate) fn pointee_loc(ud: Gc<UserData>, cd: &CData) -> Option<Loc> {
    let addr = cd.own_place().load_addr().ok()?;
    (addr != 0).then(|| owned_loc(addr, ud.user_value(0)))
}

/// Makes `cd` a cdata userdata of the state `st`, with the cdata metatable `cdata_mt` and
/// keeping `owner` alive: `Ctx::wrap`, for the interpreter's fast call too, which has no
/// context (it takes the metatable from the cdata it calls: every cdata has the same one).
pub(crate) fn wrap_cdata(
    lua: &mut Lua,
    st: &Rc<FfiState>,
    cdata_mt: Gc<rivet_lang::vm::table::Table>,
    cd: CData,
    owner: Option<Gc<UserData>>,
) -> Gc<UserData> {
    let info = st.info(cd.ty);
    wrap_described(lua, st, info, cdata_mt, cd, owner)
}

/// [`wrap_cdata`] with the type's current description `info` already at hand (a callback's
/// arguments: looked up once per callback parameter, not per argument).
#[inline]
pub(crate) fn wrap_described(
    lua: &mut Lua,
    st: &Rc<FfiState>,
    info: Rc<TypeInfo>,
    cdata_mt: Gc<rivet_lang::vm::table::Table>,
    mut cd: CData,
    owner: Option<Gc<UserData>>,
) -> Gc<UserData> {
    cd.typed = Some(Typed { state: st.clone(), info, generation: st.generation() });
    let extra = cd.heap_bytes();
    let ud = lua.new_userdata_inline(cd, usize::from(owner.is_some()), extra);
    ud.set_metatable(Some(cdata_mt));
    ud.set_fast_paths(Some(&CDATA_FAST_PATHS));
    if let Some(o) = owner {
        ud.set_user_value(0, Value::UserData(o));
    }
    ud
}

/// A pointer cdata of type `ty` holding `addr`, owning nothing, with the type's current
/// description `info` at hand (a callback's pointer arguments): made in place in its heap
/// object.
#[inline]
pub(crate) fn new_pointer_described(
    lua: &mut Lua,
    st: &Rc<FfiState>,
    info: &Rc<TypeInfo>,
    cdata_mt: Gc<rivet_lang::vm::table::Table>,
    ty: CTypeId,
    addr: usize,
) -> Gc<UserData> {
    let make = || {
        let typed = Typed { state: st.clone(), info: info.clone(), generation: st.generation() };
        CData::pointer_typed(ty, addr, Some(typed))
    };
    new_cdata_made(lua, cdata_mt, make)
}

/// A value cdata of type `ty` (description `info`) holding the first `len` bytes of `bytes`
/// (a struct or pointer result of a fast call): made in place in its heap object.
#[inline]
pub(crate) fn new_inline_described(
    lua: &mut Lua,
    st: &Rc<FfiState>,
    info: &Rc<TypeInfo>,
    cdata_mt: Gc<rivet_lang::vm::table::Table>,
    ty: CTypeId,
    bytes: [u8; super::cdata::INLINE_SIZE],
    len: u64,
) -> Gc<UserData> {
    let make = || {
        let typed = Typed { state: st.clone(), info: info.clone(), generation: st.generation() };
        CData::inline_typed(ty, bytes, len, Some(typed))
    };
    new_cdata_made(lua, cdata_mt, make)
}

/// A cdata userdata whose payload `make` writes in place, with the cdata metatable and
/// shortcuts and no owner.
#[inline(always)]
fn new_cdata_made(lua: &mut Lua, cdata_mt: Gc<rivet_lang::vm::table::Table>, make: impl FnOnce() -> CData) -> Gc<UserData> {
    let ud = lua.new_userdata_made(make, 0, 0);
    ud.set_metatable(Some(cdata_mt));
    ud.set_fast_paths(Some(&CDATA_FAST_PATHS));
    ud
}

/// The Lua value of a C number.
#[inline]
pub(crate) fn num_value(n: Num, s: Scalar) -> Value {
    match (n, s) {
        (Num::U(u), Scalar::Bool) => Value::Bool(u != 0),
        (Num::I(i), _) => Value::Int(i),
        (Num::U(u), _) => Value::Int(u as i64),
        (Num::F(f), _) => Value::Float(f),
    }
}

impl<'l> Ctx<'l> {
    pub fn new(lua: &'l mut Lua) -> Ctx<'l> {
        let st = state(lua);
        let roots = Roots::of(lua);
        Ctx { lua, st, roots }
    }

    /// A context for an operation on `cd`, taking the state from the cdata (no lookup).
    #[inline]
    pub fn for_cdata(lua: &'l mut Lua, cd: &CData) -> Ctx<'l> {
        match &cd.typed {
            Some(t) => {
                let st = t.state.clone();
                let roots = Roots::of(lua);
                Ctx { lua, st, roots }
            }
            None => Ctx::new(lua),
        }
    }

    // ----- errors ---------------------------------------------------------------------------

    pub fn error(&mut self, msg: &str) -> LuaError {
        self.lua.native_error(msg)
    }

    pub fn access_error(&mut self, e: AccessError) -> LuaError {
        match e {
            AccessError::OutOfBounds { offset, size, len } => {
                self.error(&format!("access out of bounds: {size} byte(s) at offset {offset} of a {len}-byte cdata"))
            }
        }
    }

    /// `cannot convert 'from' to 'T'`.
    pub fn conv_error(&mut self, from: &str, to: CTypeId) -> LuaError {
        let to = self.st.render(to);
        self.error(&format!("cannot convert '{from}' to '{to}'"))
    }

    /// What a value is called in conversion messages: its Lua type, or its C type for cdata.
    pub fn value_name(&self, v: Value) -> String {
        match cdata_of(&v) {
            Some((_, cd)) => self.cdata_type_name(cd),
            None => v.type_name().to_string(),
        }
    }

    /// The C type of a cdata as messages show it (`int [3]`, `struct foo &`).
    pub fn cdata_type_name(&self, cd: &CData) -> String {
        let name = self.st.render(cd.ty);
        if cd.form == Form::Ref {
            ref_name(&self.st, cd.ty, &name)
        } else {
            name
        }
    }

    // ----- making cdata ---------------------------------------------------------------------

    /// Wraps a payload in a userdata with the shared metatable; `owner` goes to user value 0.
    pub fn wrap(&mut self, cd: CData, owner: Option<Gc<UserData>>) -> Gc<UserData> {
        wrap_cdata(self.lua, &self.st, self.roots.cdata_mt, cd, owner)
    }

    /// A zero-filled value of type `ty` (with `count` trailing elements for a VLA or VLS).
    pub fn new_value(&mut self, ty: CTypeId, count: Option<u64>) -> LuaResult<Gc<UserData>> {
        let info = self.st.info(ty);
        let len = match (info.size, info.is_variable, count) {
            (Some(size), false, _) => Some(size),
            (Some(_), true, Some(n)) => info.size_with(n),
            _ => None,
        };
        let Some(len) = len.filter(|&l| l <= MAX_OBJECT_SIZE) else {
            return Err(self.lua.arg_error(1, "size of C type is unknown or too large"));
        };
        let cd = match CData::new_value(ty, len, info.align, count.filter(|_| info.is_variable)) {
            Ok(cd) => cd,
            Err(_) => return Err(self.error("not enough memory")),
        };
        Ok(self.wrap(cd, None))
    }

    /// A new value of type `ty` holding a copy of the object at `place` (a boxed complex
    /// number, a struct a C call returned or a callback received).
    pub fn new_copy(&mut self, ty: CTypeId, place: Place) -> LuaResult<Gc<UserData>> {
        let ud = self.new_value(ty, None)?;
        let cd = ud.payload::<CData>().expect("just made");
        cd.own_place().copy_from(place, cd.len as usize).map_err(|e| self.access_error(e))?;
        Ok(ud)
    }

    /// A pointer value of type `ty` holding `addr`, keeping `owner` alive.
    pub fn new_pointer(&mut self, ty: CTypeId, addr: usize, owner: Option<Gc<UserData>>) -> Gc<UserData> {
        self.wrap(CData::new_pointer(ty, addr), owner)
    }

    /// A reference to the object of type `ty` at `loc`.
    pub fn new_ref(&mut self, ty: CTypeId, loc: Loc, count: Option<u64>) -> Gc<UserData> {
        let info = self.st.info(ty);
        let len = match (info.is_variable, count) {
            (true, Some(n)) => info.size_with(n),
            _ => info.size,
        };
        let cd = CData::new_ref(ty, loc.place.addr(), len.unwrap_or(0), count);
        self.wrap(cd, loc.owner)
    }

    // ----- C -> Lua ---------------------------------------------------------------------------

    /// The Lua value of the C object of type `ty` at `loc`: a number or boolean for scalars, a
    /// new pointer cdata for pointers, a reference for arrays, structs and unions, a boxed
    /// copy for complex numbers and other values without a Lua counterpart.
    pub fn load(&mut self, ty: CTypeId, loc: Loc, count: Option<u64>) -> LuaResult<Value> {
        let info = self.st.info(ty);
        match &info.shape {
            Shape::Scalar(s) | Shape::Enum(s) => {
                let n = loc.place.load(*s).map_err(|e| self.access_error(e))?;
                Ok(num_value(n, *s))
            }
            Shape::Pointer { .. } => {
                let addr = loc.place.load_addr().map_err(|e| self.access_error(e))?;
                let owner = anchor::owner_of_loaded_pointer(self, loc, addr);
                Ok(Value::UserData(self.new_pointer(ty, addr, owner)))
            }
            Shape::Array { .. } | Shape::Record(_) => Ok(Value::UserData(self.new_ref(ty, loc, count))),
            Shape::Complex(_) | Shape::LongDouble | Shape::Opaque if info.size.is_some() => {
                Ok(Value::UserData(self.new_copy(ty, loc.place)?))
            }
            _ => {
                let name = self.st.render(ty);
                Err(self.error(&format!("cannot convert '{name}' to a Lua value")))
            }
        }
    }

    /// Reads a bit-field member of the record at `base`.
    pub fn load_bitfield(&mut self, m: &Member, base: Place) -> LuaResult<Value> {
        let (bit, width) = m.bits.expect("a bit-field");
        let s = self.bitfield_scalar(m.ty);
        let raw = base.load_bits(bit, width).map_err(|e| self.access_error(e))?;
        let value = if s.is_signed() && width > 0 && width < 64 && raw >> (width - 1) & 1 == 1 {
            (raw | (u64::MAX << width)) as i64
        } else {
            raw as i64
        };
        Ok(if s == Scalar::Bool { Value::Bool(raw != 0) } else { Value::Int(value) })
    }

    fn bitfield_scalar(&self, ty: CTypeId) -> Scalar {
        match self.st.info(ty).shape {
            Shape::Scalar(s) | Shape::Enum(s) => s,
            _ => Scalar::I32,
        }
    }

    /// Writes a bit-field member of the record at `base`.
    pub fn store_bitfield(&mut self, m: &Member, base: Place, v: Value) -> LuaResult<()> {
        let (bit, width) = m.bits.expect("a bit-field");
        let s = self.bitfield_scalar(m.ty);
        let n = match (v, self.st.info(m.ty).shape.clone()) {
            (Value::Str(name), Shape::Enum(_)) => self.enum_constant(m.ty, name.as_bytes())?,
            _ => self.number_of(v, m.ty, Mode::Implicit)?,
        };
        let bits = convert_num(n, if s == Scalar::Bool { Scalar::Bool } else { Scalar::U64 });
        base.store_bits(bit, width, bits).map_err(|e| self.access_error(e))
    }

    // ----- Lua -> C ---------------------------------------------------------------------------

    /// Converts `v` to type `ty` and stores it at `loc` (`count`: trailing elements of a VLA
    /// or VLS destination, when known).
    pub fn store(&mut self, ty: CTypeId, loc: Loc, v: Value, mode: Mode, count: Option<u64>) -> LuaResult<()> {
        let info = self.st.info(ty);
        match &info.shape {
            Shape::Scalar(s) => {
                let n = self.number_of(v, ty, mode)?;
                loc.place.store(*s, n).map_err(|e| self.access_error(e))
            }
            Shape::Enum(s) => {
                let n = match v {
                    Value::Str(name) => self.enum_constant(ty, name.as_bytes())?,
                    _ => self.number_of(v, ty, mode)?,
                };
                loc.place.store(*s, n).map_err(|e| self.access_error(e))
            }
            Shape::Pointer { .. } => {
                let (addr, source_owner) = self.address_of(v, ty, mode)?;
                loc.place.store_addr(addr).map_err(|e| self.access_error(e))?;
                anchor::note_pointer_store(self, loc, source_owner);
                Ok(())
            }
            Shape::Array { elem, len, elem_size, .. } => {
                let size = match len {
                    ArrayLen::Fixed(n) => Some(n * elem_size),
                    _ => count.map(|c| c * elem_size),
                };
                self.store_array(ty, *elem, *elem_size, size, loc, v, mode)
            }
            Shape::Record(r) => self.store_record(ty, &info, r, loc, v, mode, count),
            Shape::Complex(s) => self.store_complex(ty, *s, loc, v, mode),
            _ => {
                let from = self.value_name(v);
                Err(self.conv_error(&from, ty))
            }
        }
    }

    /// The value of an enumeration constant named by a string.
    fn enum_constant(&mut self, ty: CTypeId, name: &[u8]) -> LuaResult<Num> {
        let found = {
            let types = self.st.types();
            match types.get(types.unqualified(ty).0) {
                CType::Enum(e) => e
                    .body
                    .as_ref()
                    .and_then(|b| b.constants.iter().find(|(n, _)| n.as_bytes() == name))
                    .map(|(_, v)| *v),
                _ => None,
            }
        };
        match found {
            Some(v) => Ok(Num::I(v as i64)),
            None => Err(self.conv_error("string", ty)),
        }
    }

    /// A Lua value as a C number for a destination of type `to` (numbers, booleans, numeric
    /// cdata; pointers and arrays only in a cast).
    pub fn number_of(&mut self, v: Value, to: CTypeId, mode: Mode) -> LuaResult<Num> {
        match v {
            Value::Int(i) => Ok(Num::I(i)),
            Value::Float(f) => Ok(Num::F(f)),
            Value::Bool(b) => Ok(Num::U(u64::from(b))),
            _ => {
                if let Some((ud, cd)) = cdata_of(&v) {
                    if let Some(n) = self.cdata_number(ud, cd, mode) {
                        return n;
                    }
                }
                let from = self.value_name(v);
                Err(self.conv_error(&from, to))
            }
        }
    }

    /// The number a cdata converts to: the value of a numeric cdata, the real part of a
    /// complex one; in a cast also the address of a pointer or array. `None`: not a number.
    fn cdata_number(&mut self, ud: Gc<UserData>, cd: &CData, mode: Mode) -> Option<LuaResult<Num>> {
        if cd.form == Form::CType {
            return None;
        }
        let info = self.st.info(cd.ty);
        let loc = object_loc(ud, cd);
        match &info.shape {
            Shape::Scalar(s) | Shape::Enum(s) => Some(loc.place.load(*s).map_err(|e| self.access_error(e))),
            Shape::Complex(s) => Some(loc.place.load(*s).map_err(|e| self.access_error(e))),
            Shape::Pointer { .. } if mode == Mode::Cast => {
                Some(loc.place.load_addr().map(|a| Num::U(a as u64)).map_err(|e| self.access_error(e)))
            }
            Shape::Array { .. } if mode == Mode::Cast => Some(Ok(Num::U(loc.place.addr() as u64))),
            _ => None,
        }
    }

    /// A Lua value as an address for a pointer of type `to`, and the cdata that owns the
    /// memory it points into (to keep alive).
    pub fn address_of(&mut self, v: Value, to: CTypeId, mode: Mode) -> LuaResult<(usize, Option<Gc<UserData>>)> {
        let target = self.st.element_of(to).expect("a pointer type");
        match v {
            Value::Nil => Ok((0, None)),
            Value::LightUserData(p) => Ok((p, None)),
            Value::Int(_) | Value::Float(_) if mode == Mode::Cast => {
                let n = self.number_of(v, to, mode)?;
                Ok((convert_num(n, Scalar::int(std::mem::size_of::<usize>() as u32, true)) as usize, None))
            }
            Value::LuaFn(_) | Value::NativeFn(_) if matches!(self.st.info(target).shape, Shape::Func) => {
                // A callback: made anew by a cast, reused by an implicit conversion.
                let addr = super::callback::callback_address(self, to, v, mode == Mode::Implicit)?;
                Ok((addr, None))
            }
            Value::Str(s) => {
                if mode != Mode::Cast && !self.compatible_pointee(target, self.st.ids.const_char, false, false) {
                    return Err(self.conv_error("string", to));
                }
                let buffer = self.string_buffer(s.as_bytes())?;
                let addr = buffer.payload::<CData>().expect("a cdata").addr();
                Ok((addr, Some(buffer)))
            }
            _ => {
                let Some((ud, cd)) = cdata_of(&v) else {
                    let from = self.value_name(v);
                    return Err(self.conv_error(&from, to));
                };
                if cd.form == Form::CType {
                    let from = self.value_name(v);
                    return Err(self.conv_error(&from, to));
                }
                let info = self.st.info(cd.ty);
                let source_pointee = match &info.shape {
                    Shape::Pointer { .. } => Some(cd.ty),
                    Shape::Array { elem, .. } => Some(self.st.pointer_to(*elem)),
                    Shape::Record(_) => Some(self.st.pointer_to(cd.ty)),
                    Shape::Func => Some(self.st.pointer_to(cd.ty)),
                    _ => None,
                };
                let ok = match source_pointee {
                    Some(sp) => mode == Mode::Cast || self.compatible_pointers(to, sp),
                    None => false,
                };
                if !ok {
                    if mode == Mode::Cast {
                        if let Some(n) = self.cdata_number(ud, cd, mode) {
                            let n = n?;
                            let addr = convert_num(n, Scalar::int(std::mem::size_of::<usize>() as u32, false));
                            return Ok((addr as usize, None));
                        }
                    }
                    let from = self.value_name(v);
                    return Err(self.conv_error(&from, to));
                }
                match &info.shape {
                    Shape::Pointer { .. } => {
                        let loc = object_loc(ud, cd);
                        let addr = loc.place.load_addr().map_err(|e| self.access_error(e))?;
                        let owner = ud.user_value(0).and_then(|o| match o {
                            Value::UserData(o) => Some(o),
                            _ => None,
                        });
                        Ok((addr, owner))
                    }
                    Shape::Func => {
                        let addr = cd.own_place().load_addr().map_err(|e| self.access_error(e))?;
                        Ok((addr, None))
                    }
                    _ => {
                        let loc = object_loc(ud, cd);
                        Ok((loc.place.addr(), loc.owner))
                    }
                }
            }
        }
    }

    /// A hidden cdata holding `bytes` and a terminating zero (what a Lua string converted to a
    /// pointer points to).
    pub fn string_buffer(&mut self, bytes: &[u8]) -> LuaResult<Gc<UserData>> {
        let char = self.st.ids.char;
        let ty = self.st.types_mut().array_of(char, ArrayLen::Variable);
        let ud = self.new_value(ty, Some(bytes.len() as u64 + 1))?;
        let cd = ud.payload::<CData>().expect("just made");
        cd.own_place().write_bytes(bytes).map_err(|e| self.access_error(e))?;
        Ok(ud)
    }

    /// Whether a pointer of type `from` converts implicitly to one of type `to` (see
    /// `compat.rs`).
    pub fn compatible_pointers(&self, to: CTypeId, from: CTypeId) -> bool {
        self.st.compatible_pointers(to, from)
    }

    /// The pointee rule behind [`Ctx::compatible_pointers`] (see `compat.rs`).
    pub fn compatible_pointee(&self, d: CTypeId, s: CTypeId, same_quals: bool, ignore_quals: bool) -> bool {
        self.st.compatible_pointee(d, s, same_quals, ignore_quals)
    }

    // ----- aggregates -------------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn store_array(
        &mut self,
        ty: CTypeId,
        elem: CTypeId,
        elem_size: u64,
        size: Option<u64>,
        loc: Loc,
        v: Value,
        mode: Mode,
    ) -> LuaResult<()> {
        match v {
            Value::Table(t) if mode == Mode::Implicit => self.array_from_table(ty, elem, elem_size, size, loc, t),
            Value::Str(s) if mode == Mode::Implicit && self.is_byte_type(elem) => {
                // The string and its terminating zero, cut short by a known array size.
                let mut bytes = s.as_bytes().to_vec();
                bytes.push(0);
                if let Some(size) = size {
                    bytes.truncate(size as usize);
                }
                loc.place.write_bytes(&bytes).map_err(|e| self.access_error(e))
            }
            _ => {
                if mode == Mode::Implicit {
                    if let Some((ud, cd)) = cdata_of(&v) {
                        let src_info = self.st.info(cd.ty);
                        if cd.form != Form::CType {
                            if let (Shape::Array { elem: se, .. }, Some(size)) = (&src_info.shape, size) {
                                let same_size = src_info.size == Some(size) || (cd.len == size && cd.count.is_some());
                                if same_size && self.compatible_pointee(elem, *se, true, false) {
                                    let src = object_loc(ud, cd);
                                    return self.copy_object(loc, src, size as usize);
                                }
                            }
                        }
                    }
                }
                let from = self.value_name(v);
                Err(self.conv_error(&from, ty))
            }
        }
    }

    fn is_byte_type(&self, elem: CTypeId) -> bool {
        matches!(self.st.info(elem).shape, Shape::Scalar(Scalar::I8 | Scalar::U8))
    }

    /// Copies `len` bytes of C objects, with the anchors of the pointers among them.
    pub fn copy_object(&mut self, dst: Loc, src: Loc, len: usize) -> LuaResult<()> {
        dst.place.copy_from(src.place, len).map_err(|e| self.access_error(e))?;
        anchor::copy_anchors(self, dst, src, len);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn store_record(
        &mut self,
        ty: CTypeId,
        info: &TypeInfo,
        r: &Rc<RecordInfo>,
        loc: Loc,
        v: Value,
        mode: Mode,
        count: Option<u64>,
    ) -> LuaResult<()> {
        let size = info.size.unwrap_or(0);
        match v {
            Value::Table(t) if mode == Mode::Implicit => {
                loc.place.fill(size as usize, 0).map_err(|e| self.access_error(e))?;
                let mut index = 0i64;
                self.record_from_table(r, &r.init_order, r.kind == RecordKind::Union, loc, t, &mut index, count)
            }
            _ => {
                if let Some((ud, cd)) = cdata_of(&v) {
                    let same = cd.form != Form::CType
                        && self.st.types().unqualified(cd.ty).0 == info.unqualified
                        && !info.is_variable;
                    if same && mode == Mode::Implicit {
                        let src = object_loc(ud, cd);
                        return self.copy_object(loc, src, size as usize);
                    }
                }
                let from = self.value_name(v);
                Err(self.conv_error(&from, ty))
            }
        }
    }

    /// Stores `v` into member `m` of the record at `loc`.
    pub fn store_member(&mut self, m: &Member, loc: Loc, v: Value, count: Option<u64>) -> LuaResult<()> {
        let at = loc.place.offset(m.offset as i64);
        if m.bits.is_some() {
            return self.store_bitfield(m, loc.place, v);
        }
        self.store(m.ty, Loc { place: at, ..loc }, v, Mode::Implicit, count)
    }

    fn store_complex(&mut self, ty: CTypeId, s: Scalar, loc: Loc, v: Value, mode: Mode) -> LuaResult<()> {
        let part = s.size() as i64;
        let (re, im) = match v {
            Value::Table(t) if mode == Mode::Implicit => {
                let base = if t.get_int(0).is_nil() { 1 } else { 0 };
                let re = t.get_int(base);
                let im = t.get_int(base + 1);
                let re = if re.is_nil() { Num::F(0.0) } else { self.number_of(re, ty, mode)? };
                let im = if im.is_nil() { Num::F(0.0) } else { self.number_of(im, ty, mode)? };
                (re, im)
            }
            _ => {
                if let Some((ud, cd)) = cdata_of(&v) {
                    if let Shape::Complex(ss) = self.st.info(cd.ty).shape {
                        let src = object_loc(ud, cd);
                        let re = src.place.load(ss).map_err(|e| self.access_error(e))?;
                        let im = src.place.offset(ss.size() as i64).load(ss).map_err(|e| self.access_error(e))?;
                        (re, im)
                    } else {
                        (self.number_of(v, ty, mode)?, Num::F(0.0))
                    }
                } else {
                    (self.number_of(v, ty, mode)?, Num::F(0.0))
                }
            }
        };
        loc.place.store(s, re).map_err(|e| self.access_error(e))?;
        loc.place.offset(part).store(s, im).map_err(|e| self.access_error(e))
    }
}

/// How LuaJIT prints a reference type: `struct foo &`, `int (&)[3]`.
pub(crate) fn ref_name(st: &FfiState, ty: CTypeId, name: &str) -> String {
    let types = st.types();
    match types.get(types.unqualified(ty).0) {
        CType::Array { .. } => types.render_decl(ty, "(&)"),
        _ => format!("{name} &"),
    }
}
