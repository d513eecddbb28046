//! The ffi state of one runtime: its C type table (one per runtime, kept in the runtime's
//! extension slots), the cache of type descriptions, which types have a metatype; and the
//! GC-side roots every ffi native function carries as upvalues.
#![forbid(unsafe_code)]

use std::cell::{Cell, Ref, RefCell, RefMut};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use rivet_ffi::ctype::{CType, FloatKind, IntKind, Quals};
use rivet_ffi::{CTypeId, CTypeTable, CdeclError, Target, TypeParam};
use rivet_lang::gc::Gc;
use rivet_lang::vm::string::LuaStr;
use rivet_lang::vm::table::Table;
use rivet_lang::vm::userdata::UserData;
use rivet_lang::{Lua, Value};

use super::callable::Callable;
use super::cdata::CData;
use super::typeinfo::{describe, TypeInfo};
use rivet_ffi::jit::StubCache;

/// Type ids the binding uses itself.
pub(crate) struct CommonIds {
    pub void_ptr: CTypeId,
    pub const_void_ptr: CTypeId,
    pub const_char_ptr: CTypeId,
    pub const_char: CTypeId,
    pub char: CTypeId,
    pub int64: CTypeId,
    pub uint64: CTypeId,
    /// `complex` (`_Complex double`), the type of `12.5i`.
    pub complex: CTypeId,
    pub double: CTypeId,
    pub bool: CTypeId,
}

pub(crate) struct FfiState {
    /// The machine the process runs on: the layouts memory is accessed with.
    pub host: Target,
    types: RefCell<CTypeTable>,
    infos: RefCell<Vec<Option<Rc<TypeInfo>>>>,
    metatyped: RefCell<HashSet<CTypeId>>,
    /// Type strings already parsed, by the hash Lua keeps with each string, so that
    /// `ffi.new("double[?]", n)` in a loop does not parse or hash the string again.
    parsed: RefCell<ParseCache>,
    generation: Cell<u32>,
    /// Set once a pointer was anchored in memory no cdata owns (see `anchor.rs`).
    pub raw_anchors_used: Cell<bool>,
    pub ids: CommonIds,
    /// Call stubs, shared by every function type of the same shape.
    pub stubs: RefCell<StubCache>,
    /// The `errno` the last C call left (captured by its stub), for `ffi.errno()`.
    pub last_errno: Cell<i32>,
    /// Names of the C functions reached through a namespace, by address (for messages).
    function_names: RefCell<HashMap<usize, Rc<str>>>,
    /// The callback trampolines of this runtime.
    pub callbacks: RefCell<super::callback::Callbacks>,
    /// Set once a callback exists: C calls then take the general path, which records the
    /// runtime for callbacks to run in.
    pub callbacks_exist: Cell<bool>,
}

/// Parsed type strings: string hash -> (the string's bytes, its type).
type ParseCache = HashMap<u64, Vec<(Box<[u8]>, CTypeId)>, BuildHasherDefault<IdentityHasher>>;

/// A hasher for keys that are already hashes.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The runtime's extension slot holding the state.
struct StateSlot(Rc<FfiState>);

/// The ffi state of `lua` (created on first use).
pub(crate) fn state(lua: &Lua) -> Rc<FfiState> {
    lua.extension(|| StateSlot(Rc::new(FfiState::new(host_target())))).0.clone()
}

/// The host target. `open` only registers the module on supported hosts, so the fallback is
/// never used to access memory.
pub(crate) fn host_target() -> Target {
    Target::host().unwrap_or(Target::X86_64_LINUX)
}

impl FfiState {
    fn new(host: Target) -> FfiState {
        let mut t = CTypeTable::new(host);
        let void = t.void();
        let char = t.int(IntKind::Char);
        let const_char = t.qualified(char, Quals::CONST);
        let const_char_ptr = t.pointer_to(const_char);
        let ids = CommonIds {
            void_ptr: t.pointer_to(void),
            const_void_ptr: {
                let const_void = t.qualified(void, Quals::CONST);
                t.pointer_to(const_void)
            },
            const_char_ptr,
            const_char,
            char,
            int64: t.int(IntKind::LongLong),
            uint64: t.int(IntKind::ULongLong),
            complex: t.intern(CType::Complex(FloatKind::Double)),
            double: t.float(FloatKind::Double),
            bool: t.intern(CType::Bool),
        };
        FfiState {
            host,
            types: RefCell::new(t),
            infos: RefCell::new(Vec::new()),
            metatyped: RefCell::new(HashSet::new()),
            parsed: RefCell::new(HashMap::default()),
            generation: Cell::new(0),
            raw_anchors_used: Cell::new(false),
            ids,
            stubs: RefCell::new(StubCache::new()),
            last_errno: Cell::new(0),
            function_names: RefCell::new(HashMap::new()),
            callbacks: RefCell::new(Default::default()),
            callbacks_exist: Cell::new(false),
        }
    }

    /// The description of `id` (computed on first use).
    #[inline]
    pub fn info(&self, id: CTypeId) -> Rc<TypeInfo> {
        let index = id.index() as usize;
        if let Some(Some(info)) = self.infos.borrow().get(index) {
            return info.clone();
        }
        let info = Rc::new(describe(&self.types.borrow(), id, self.host));
        let mut infos = self.infos.borrow_mut();
        if infos.len() <= index {
            infos.resize(index + 1, None);
        }
        infos[index] = Some(info.clone());
        info
    }

    pub fn types(&self) -> Ref<'_, CTypeTable> {
        self.types.borrow()
    }

    pub fn types_mut(&self) -> RefMut<'_, CTypeTable> {
        self.types.borrow_mut()
    }

    /// The function type `func` (or pointer to one) prepared for calls (on first use; kept
    /// in the type's description, where a cdata of the type finds it without a lookup).
    pub fn callable(&self, func: CTypeId) -> Result<Rc<Callable>, String> {
        let info = self.info(func);
        if let Some(c) = info.callable.get() {
            return Ok(c.clone());
        }
        let c = Rc::new(Callable::prepare(self, &mut self.stubs.borrow_mut(), func)?);
        Ok(info.callable.get_or_init(|| c).clone())
    }

    /// Whether `ty` is a function type or a pointer to one (a cdata of it can be called).
    pub fn is_function_or_pointer_to_one(&self, ty: CTypeId) -> bool {
        match self.info(ty).shape {
            super::typeinfo::Shape::Func => true,
            super::typeinfo::Shape::Pointer { target, .. } => {
                matches!(self.info(target).shape, super::typeinfo::Shape::Func)
            }
            _ => false,
        }
    }

    /// Remembers that the C function at `addr` is called `name` (for error messages).
    pub fn name_function(&self, addr: usize, name: &str) {
        self.function_names.borrow_mut().entry(addr).or_insert_with(|| name.into());
    }

    /// The name of the C function at `addr`, if it was reached through a namespace.
    pub fn function_name(&self, addr: usize) -> Option<Rc<str>> {
        self.function_names.borrow().get(&addr).cloned()
    }

    /// The C spelling of a type, as messages and `tostring` show it.
    pub fn render(&self, id: CTypeId) -> String {
        self.types.borrow().render(id)
    }

    pub fn pointer_to(&self, id: CTypeId) -> CTypeId {
        self.types.borrow_mut().pointer_to(id)
    }

    /// The element type of an array, or the target of a pointer.
    pub fn element_of(&self, id: CTypeId) -> Option<CTypeId> {
        let t = self.types.borrow();
        match t.get(t.unqualified(id).0) {
            CType::Array { elem, .. } => Some(*elem),
            CType::Pointer(target) => Some(*target),
            _ => None,
        }
    }

    /// Reads declarations.
    pub fn cdef(&self, text: &str, params: &[TypeParam]) -> Result<(), CdeclError> {
        let incomplete = self.incomplete_tags();
        rivet_ffi::cdecl::cdef_with_params(&mut self.types.borrow_mut(), text, params)?;
        self.note_completions(&incomplete);
        Ok(())
    }

    /// Parses an abstract type (`ffi.typeof`, `ffi.new`...).
    pub fn parse(&self, text: &str, params: &[TypeParam]) -> Result<CTypeId, CdeclError> {
        let incomplete = if text.contains('{') { self.incomplete_tags() } else { Vec::new() };
        let id = self.types.borrow_mut().parse_type(text, params)?;
        self.note_completions(&incomplete);
        Ok(id)
    }

    /// Structs, unions and enums declared but not yet defined (`struct foo;`): only these can
    /// change, when a later declaration defines them.
    fn incomplete_tags(&self) -> Vec<CTypeId> {
        let types = self.types.borrow();
        types
            .tags()
            .filter(|(_, id)| match types.get(*id) {
                CType::Record(r) => r.body.is_none(),
                CType::Enum(e) => e.body.is_none(),
                _ => false,
            })
            .map(|(_, id)| id)
            .collect()
    }

    /// After declarations: if one of `incomplete` got defined, the descriptions of it and of
    /// everything built on it (pointers to it...) are stale: drop the cache and move to a
    /// new generation, so that cdata made before look their type up again.
    fn note_completions(&self, incomplete: &[CTypeId]) {
        let types = self.types.borrow();
        let completed = incomplete.iter().any(|id| match types.get(*id) {
            CType::Record(r) => r.body.is_some(),
            CType::Enum(e) => e.body.is_some(),
            _ => false,
        });
        if completed {
            self.infos.borrow_mut().clear();
            self.generation.set(self.generation.get().wrapping_add(1));
        }
    }

    /// Changes each time cached type descriptions become stale.
    #[inline]
    pub fn generation(&self) -> u32 {
        self.generation.get()
    }

    /// The type a string parsed to before, if it was cached.
    #[inline]
    pub fn cached_parse(&self, text: &LuaStr) -> Option<CTypeId> {
        let parsed = self.parsed.borrow();
        let entries = parsed.get(&text.hash())?;
        let bytes = text.as_bytes();
        entries
            .iter()
            .find(|(t, _)| t.len() == bytes.len() && t.iter().zip(bytes).all(|(a, b)| a == b))
            .map(|(_, id)| *id)
    }

    /// Remembers what a type string means. Strings that define a struct, union or enum are
    /// not cached: each use defines a new type, as in LuaJIT.
    pub fn cache_parse(&self, text: &LuaStr, id: CTypeId) {
        if text.as_bytes().contains(&b'{') {
            return;
        }
        let mut parsed = self.parsed.borrow_mut();
        parsed.entry(text.hash()).or_default().push((text.as_bytes().into(), id));
    }

    pub fn has_metatype(&self, id: CTypeId) -> bool {
        !self.metatyped.borrow().is_empty() && self.metatyped.borrow().contains(&id)
    }

    pub fn set_metatype(&self, id: CTypeId) {
        self.metatyped.borrow_mut().insert(id);
    }
}

/// Upvalue slots of every ffi native function.
const UV_CDATA_MT: usize = 0;
const UV_METATYPES: usize = 1;
const UV_FINALIZERS: usize = 2;
const UV_ANCHORS: usize = 3;
const UV_RAW_ANCHORS: usize = 4;
const UV_CALLBACKS: usize = 5;
pub(crate) const ROOT_COUNT: usize = 6;

/// The ffi's GC objects, reachable from every ffi native function (as its upvalues), so
/// they live as long as anything can use them.
#[derive(Clone, Copy)]
pub(crate) struct Roots {
    /// The metatable shared by all cdata.
    pub cdata_mt: Gc<Table>,
    /// Metatables of metatypes, keyed by type index.
    pub metatypes: Gc<Table>,
    /// `ffi.gc` finalizers, keyed by cdata (weak keys).
    pub finalizers: Gc<Table>,
    /// Strings and cdata kept alive because a pointer to them was stored into a cdata's
    /// memory: owner cdata -> { byte offset -> anchored object } (weak keys).
    pub anchors: Gc<Table>,
    /// The same for pointers stored into memory no cdata owns (C memory, `extern`
    /// variables): address -> anchored object, until another pointer is stored there.
    pub raw_anchors: Gc<Table>,
    /// Callbacks (see `callback.rs`): trampoline slot -> Lua function; Lua function ->
    /// { function pointer type -> callback address } for implicit conversions; the error a
    /// callback raised, until the C call it ran under returns; their message handler.
    pub callbacks: Gc<Table>,
}

impl Roots {
    /// Makes the tables (the metatable's contents are filled in by `open`).
    pub fn create(lua: &mut Lua) -> Roots {
        let cdata_mt = lua.new_table();
        let metatypes = lua.new_table();
        let finalizers = weak_keyed(lua);
        let anchors = weak_keyed(lua);
        let raw_anchors = lua.new_table();
        let callbacks = lua.new_table();
        Roots { cdata_mt, metatypes, finalizers, anchors, raw_anchors, callbacks }
    }

    /// The upvalues to give an ffi native function.
    pub fn upvalues(&self) -> Vec<Value> {
        let mut v = vec![Value::Nil; ROOT_COUNT];
        v[UV_CDATA_MT] = Value::Table(self.cdata_mt);
        v[UV_METATYPES] = Value::Table(self.metatypes);
        v[UV_FINALIZERS] = Value::Table(self.finalizers);
        v[UV_ANCHORS] = Value::Table(self.anchors);
        v[UV_RAW_ANCHORS] = Value::Table(self.raw_anchors);
        v[UV_CALLBACKS] = Value::Table(self.callbacks);
        v
    }

    /// The roots of the running ffi native function.
    #[inline]
    pub fn of(lua: &Lua) -> Roots {
        Roots::from_upvalues(|i| lua.native_upvalue(i))
    }

    /// The roots a cdata's metatable leads to (its `__call` is an ffi native function), for
    /// code running outside any ffi function (a compiled loop's call).
    pub fn of_cdata_metatable(mt: Gc<Table>) -> Option<Roots> {
        let Value::NativeFn(call) = mt.get_str_bytes(b"__call") else { return None };
        (call.upvalue_count() == ROOT_COUNT).then(|| Roots::from_upvalues(|i| call.upvalue(i)))
    }

    fn from_upvalues(upvalue: impl Fn(usize) -> Value) -> Roots {
        let get = |i| upvalue(i).as_table().expect("every ffi native function carries the ffi roots");
        Roots {
            cdata_mt: get(UV_CDATA_MT),
            metatypes: get(UV_METATYPES),
            finalizers: get(UV_FINALIZERS),
            anchors: get(UV_ANCHORS),
            raw_anchors: get(UV_RAW_ANCHORS),
            callbacks: get(UV_CALLBACKS),
        }
    }
}

fn weak_keyed(lua: &mut Lua) -> Gc<Table> {
    let t = lua.new_table();
    let mt = lua.new_table();
    let mode = lua.str_value("k");
    lua.set_field(mt, "__mode", mode);
    t.set_metatable(Some(mt));
    t
}

/// The payload of a cdata value, if it is one.
#[inline]
pub(crate) fn cdata_of(v: &Value) -> Option<(Gc<UserData>, &CData)> {
    match v {
        Value::UserData(ud) => ud.payload::<CData>().map(|cd| (*ud, cd)),
        _ => None,
    }
}

/// Whether a value is a cdata (`type` answers "cdata" for them, as LuaJIT's does).
pub fn is_cdata(v: Value) -> bool {
    cdata_of(&v).is_some()
}
