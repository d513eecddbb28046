//! The type table: append-only storage of [`CType`]s addressed by [`CTypeId`], interning of
//! structural types, the tag namespace (`struct foo`) and the ordinary namespace (typedefs,
//! functions, variables, constants).
//!
//! A cdef must register all of its declarations or none: [`CTypeTable::begin`] starts a
//! journal of everything added, [`CTypeTable::rollback`] undoes it, [`CTypeTable::commit`]
//! keeps it. Ids handed out before `begin` stay valid either way.

use std::collections::HashMap;

use super::builtins::BUILTIN_TYPEDEFS;
use super::decl::Decl;
use super::types::{
    ArrayLen, CType, CTypeId, EnumBody, EnumType, FloatKind, FuncType, IntKind, Quals, Record, RecordBody,
};
use crate::target::Target;

/// All C types and declarations known to one FFI state.
#[derive(Debug, Clone)]
pub struct CTypeTable {
    target: Target,
    types: Vec<CType>,
    /// Nesting depth of each type (how deep layout, rendering and comparison recurse).
    depths: Vec<u32>,
    interned: HashMap<CType, CTypeId>,
    tags: HashMap<Box<str>, CTypeId>,
    names: HashMap<Box<str>, Decl>,
    journal: Option<Journal>,
}

/// What a transaction added, so that it can be taken back.
#[derive(Debug, Clone, Default)]
struct Journal {
    types_len: usize,
    tags_added: Vec<Box<str>>,
    names_added: Vec<Box<str>>,
    bodies_added: Vec<CTypeId>,
}

impl CTypeTable {
    /// An empty table (built-in typedefs only). `target` is the target whose sizes constant
    /// expressions see (`char buf[sizeof(long)]`): usually the host. Layouts can still be asked
    /// for any target.
    pub fn new(target: Target) -> CTypeTable {
        let mut table = CTypeTable {
            target,
            types: Vec::new(),
            depths: Vec::new(),
            interned: HashMap::new(),
            tags: HashMap::new(),
            names: HashMap::new(),
            journal: None,
        };
        for (name, ty) in BUILTIN_TYPEDEFS {
            let id = table.intern(ty.clone());
            table.names.insert((*name).into(), Decl::Typedef(id));
        }
        table
    }

    /// The target constant expressions are evaluated for.
    pub fn target(&self) -> Target {
        self.target
    }

    /// The type an id names.
    ///
    /// # Panics
    /// If `id` does not come from this table (ids are only ever made by it).
    pub fn get(&self, id: CTypeId) -> &CType {
        &self.types[id.0 as usize]
    }

    /// Number of types in the table.
    pub fn len(&self) -> usize {
        self.types.len()
    }

    pub fn is_empty(&self) -> bool {
        self.types.is_empty()
    }

    /// The id of a structural type, adding it if new. Records and enums are not structural:
    /// use the parser (or [`CTypeTable::add_record`]) to define them.
    pub fn intern(&mut self, ty: CType) -> CTypeId {
        debug_assert!(ty.is_structural(), "records and enums are created, not interned");
        if let Some(&id) = self.interned.get(&ty) {
            return id;
        }
        let id = self.push(ty.clone());
        self.interned.insert(ty, id);
        id
    }

    fn push(&mut self, ty: CType) -> CTypeId {
        let id = CTypeId(u32::try_from(self.types.len()).expect("fewer than 2^32 C types"));
        let depth = 1 + match &ty {
            CType::Pointer(t) | CType::Qualified { base: t, .. } | CType::Array { elem: t, .. } => self.depth(*t),
            CType::Func(f) => f.params.iter().chain([&f.ret]).map(|t| self.depth(*t)).max().unwrap_or(0),
            _ => 0,
        };
        self.types.push(ty);
        self.depths.push(depth);
        id
    }

    /// How deeply a type nests: 1 for scalars, one more than its deepest part for derived
    /// types and defined records. The parser rejects types nested deeper than
    /// [`CTypeTable::MAX_DEPTH`], so that no recursion over a type can exhaust the stack.
    pub fn depth(&self, id: CTypeId) -> u32 {
        self.depths[id.0 as usize]
    }

    /// The deepest type the parser accepts.
    pub const MAX_DEPTH: u32 = 400;

    /// A new struct or union type (each call makes a distinct type).
    pub fn add_record(&mut self, record: Record) -> CTypeId {
        self.push(CType::Record(record))
    }

    /// A new enumeration type (each call makes a distinct type).
    pub fn add_enum(&mut self, enumeration: EnumType) -> CTypeId {
        self.push(CType::Enum(enumeration))
    }

    /// Gives a declared-only record its members.
    pub(crate) fn complete_record(&mut self, id: CTypeId, body: RecordBody) {
        match &mut self.types[id.0 as usize] {
            CType::Record(r) if r.body.is_none() => r.body = Some(body),
            other => unreachable!("completing {other:?}, which is not an incomplete record"),
        }
        let CType::Record(r) = &self.types[id.0 as usize] else { unreachable!("just completed") };
        let fields = &r.body.as_ref().expect("just completed").fields;
        let depth = 1 + fields.iter().map(|f| self.depths[f.ty.0 as usize]).max().unwrap_or(0);
        self.depths[id.0 as usize] = depth;
        if let Some(j) = &mut self.journal {
            j.bodies_added.push(id);
        }
    }

    /// Gives a declared-only enum its constants.
    pub(crate) fn complete_enum(&mut self, id: CTypeId, body: EnumBody) {
        match &mut self.types[id.0 as usize] {
            CType::Enum(e) if e.body.is_none() => e.body = Some(body),
            other => unreachable!("completing {other:?}, which is not an incomplete enum"),
        }
        if let Some(j) = &mut self.journal {
            j.bodies_added.push(id);
        }
    }

    pub fn void(&mut self) -> CTypeId {
        self.intern(CType::Void)
    }

    pub fn int(&mut self, kind: IntKind) -> CTypeId {
        self.intern(CType::Int(kind))
    }

    pub fn float(&mut self, kind: FloatKind) -> CTypeId {
        self.intern(CType::Float(kind))
    }

    pub fn pointer_to(&mut self, target: CTypeId) -> CTypeId {
        self.intern(CType::Pointer(target))
    }

    pub fn array_of(&mut self, elem: CTypeId, len: ArrayLen) -> CTypeId {
        self.intern(CType::Array { elem, len })
    }

    pub fn func(&mut self, func: FuncType) -> CTypeId {
        self.intern(CType::Func(func))
    }

    /// `ty` with `quals` added. Qualifying an array qualifies its elements; qualifiers merge.
    pub fn qualified(&mut self, ty: CTypeId, quals: Quals) -> CTypeId {
        if quals.is_empty() {
            return ty;
        }
        match self.get(ty).clone() {
            CType::Qualified { base, quals: q } => self.intern(CType::Qualified { base, quals: q.union(quals) }),
            CType::Array { elem, len } => {
                let elem = self.qualified(elem, quals);
                self.array_of(elem, len)
            }
            _ => self.intern(CType::Qualified { base: ty, quals }),
        }
    }

    /// The type without its top-level qualifiers, and those qualifiers.
    pub fn unqualified(&self, ty: CTypeId) -> (CTypeId, Quals) {
        match self.get(ty) {
            CType::Qualified { base, quals } => (*base, *quals),
            _ => (ty, Quals::NONE),
        }
    }

    /// What an ordinary identifier (typedef, function, variable, constant) names.
    pub fn lookup(&self, name: &str) -> Option<&Decl> {
        self.names.get(name)
    }

    /// The struct, union or enum with this tag.
    pub fn lookup_tag(&self, tag: &str) -> Option<CTypeId> {
        self.tags.get(tag).copied()
    }

    /// Every ordinary identifier and what it names, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = (&str, &Decl)> {
        self.names.iter().map(|(k, v)| (&**k, v))
    }

    /// Every tag and its type, in no particular order.
    pub fn tags(&self) -> impl Iterator<Item = (&str, CTypeId)> {
        self.tags.iter().map(|(k, v)| (&**k, *v))
    }

    /// Binds a new ordinary identifier (the caller has checked it is free).
    pub(crate) fn define_name(&mut self, name: &str, decl: Decl) {
        let previous = self.names.insert(name.into(), decl);
        debug_assert!(previous.is_none(), "'{name}' was already declared");
        if let Some(j) = &mut self.journal {
            j.names_added.push(name.into());
        }
    }

    /// Binds a new tag (the caller has checked it is free).
    pub(crate) fn define_tag(&mut self, tag: &str, ty: CTypeId) {
        let previous = self.tags.insert(tag.into(), ty);
        debug_assert!(previous.is_none(), "tag '{tag}' was already declared");
        if let Some(j) = &mut self.journal {
            j.tags_added.push(tag.into());
        }
    }

    /// Starts recording additions so that [`CTypeTable::rollback`] can undo them.
    pub(crate) fn begin(&mut self) {
        debug_assert!(self.journal.is_none(), "transactions do not nest");
        self.journal = Some(Journal { types_len: self.types.len(), ..Journal::default() });
    }

    /// Keeps everything added since [`CTypeTable::begin`].
    pub(crate) fn commit(&mut self) {
        self.journal = None;
    }

    /// Removes everything added since [`CTypeTable::begin`].
    pub(crate) fn rollback(&mut self) {
        let Some(journal) = self.journal.take() else { return };
        for name in &journal.names_added {
            self.names.remove(name);
        }
        for tag in &journal.tags_added {
            self.tags.remove(tag);
        }
        for id in journal.bodies_added {
            if (id.0 as usize) < journal.types_len {
                match &mut self.types[id.0 as usize] {
                    CType::Record(r) => {
                        r.body = None;
                        self.depths[id.0 as usize] = 1;
                    }
                    CType::Enum(e) => e.body = None,
                    _ => {}
                }
            }
        }
        for (index, ty) in self.types.iter().enumerate().skip(journal.types_len) {
            if ty.is_structural() && self.interned.get(ty) == Some(&CTypeId(index as u32)) {
                self.interned.remove(ty);
            }
        }
        self.types.truncate(journal.types_len);
        self.depths.truncate(journal.types_len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ctype::RecordKind;

    #[test]
    fn interning_gives_equal_ids_to_equal_types() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let int = t.int(IntKind::Int);
        let p1 = t.pointer_to(int);
        let p2 = t.pointer_to(int);
        assert_eq!(p1, p2);
        let c = t.qualified(int, Quals::CONST);
        assert_ne!(c, int);
        assert_eq!(t.qualified(c, Quals::CONST), c);
        assert_eq!(t.unqualified(c), (int, Quals::CONST));
    }

    #[test]
    fn qualifying_an_array_qualifies_its_elements() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let int = t.int(IntKind::Int);
        let arr = t.array_of(int, ArrayLen::Fixed(3));
        let carr = t.qualified(arr, Quals::CONST);
        let cint = t.qualified(int, Quals::CONST);
        assert_eq!(t.get(carr), &CType::Array { elem: cint, len: ArrayLen::Fixed(3) });
    }

    #[test]
    fn builtin_typedefs_are_declared() {
        let t = CTypeTable::new(Target::X86_64_LINUX);
        let Some(Decl::Typedef(id)) = t.lookup("uint32_t") else { panic!("uint32_t missing") };
        assert_eq!(t.get(*id), &CType::Int(IntKind::UInt));
    }

    #[test]
    fn rollback_removes_everything_added() {
        let mut t = CTypeTable::new(Target::X86_64_LINUX);
        let before = t.len();
        let fwd = t.add_record(Record { kind: RecordKind::Struct, tag: Some("s".into()), body: None });
        t.define_tag("s", fwd);
        t.begin();
        let int = t.int(IntKind::Int);
        let p = t.pointer_to(int);
        t.define_name("T", Decl::Typedef(p));
        t.complete_record(fwd, RecordBody { fields: vec![], attrs: Default::default() });
        let u = t.add_record(Record { kind: RecordKind::Union, tag: Some("u".into()), body: None });
        t.define_tag("u", u);
        t.rollback();
        assert_eq!(t.len(), before + 1);
        assert!(t.lookup("T").is_none());
        assert!(t.lookup_tag("u").is_none());
        assert_eq!(t.lookup_tag("s"), Some(fwd));
        let CType::Record(r) = t.get(fwd) else { panic!() };
        assert!(r.body.is_none());
        // Interning after a rollback hands out fresh, consistent ids.
        let int2 = t.int(IntKind::Int);
        assert_eq!(t.get(int2), &CType::Int(IntKind::Int));
        let p2 = t.pointer_to(int2);
        assert_eq!(t.get(p2), &CType::Pointer(int2));
    }
}
