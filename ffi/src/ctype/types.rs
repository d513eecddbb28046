//! The C types themselves: what a [`CTypeId`] names.
//!
//! Types are target-neutral: `long` is `long` whatever its size, and the layout engine
//! (`layout/`) gives sizes for a [`Target`](crate::Target). Composite types refer to their
//! parts by [`CTypeId`], never by reference, so the table can grow while ids stay valid.

use std::fmt;

/// A handle to a type in a [`CTypeTable`](super::CTypeTable). Interned: two ids are equal
/// exactly when the types are the same (struct, union and enum definitions are nominal: each
/// definition is its own type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CTypeId(pub(crate) u32);

impl CTypeId {
    /// The id as a number (LuaJIT prints anonymous structs as `struct <number>`).
    pub fn index(self) -> u32 {
        self.0
    }
}

impl fmt::Display for CTypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The integer types other than `_Bool`. Fixed-width names map onto the C type of that width
/// on every supported target (`int32_t` is `int`, `int64_t` is `long long`); the kinds whose
/// width changes between targets (`long`, `size_t`, `wchar_t`...) stay kinds of their own so
/// that one declaration lays out correctly for any target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IntKind {
    /// Plain `char`: a type of its own in C, signed or not depending on the target.
    Char,
    SChar,
    UChar,
    Short,
    UShort,
    Int,
    UInt,
    Long,
    ULong,
    LongLong,
    ULongLong,
    WChar,
    Size,
    SSize,
    PtrDiff,
    IntPtr,
    UIntPtr,
}

impl IntKind {
    /// The type's C spelling.
    pub fn c_name(self) -> &'static str {
        match self {
            IntKind::Char => "char",
            IntKind::SChar => "signed char",
            IntKind::UChar => "unsigned char",
            IntKind::Short => "short",
            IntKind::UShort => "unsigned short",
            IntKind::Int => "int",
            IntKind::UInt => "unsigned int",
            IntKind::Long => "long",
            IntKind::ULong => "unsigned long",
            IntKind::LongLong => "long long",
            IntKind::ULongLong => "unsigned long long",
            IntKind::WChar => "wchar_t",
            IntKind::Size => "size_t",
            IntKind::SSize => "ssize_t",
            IntKind::PtrDiff => "ptrdiff_t",
            IntKind::IntPtr => "intptr_t",
            IntKind::UIntPtr => "uintptr_t",
        }
    }
}

/// Real floating types (also the element type of a complex type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FloatKind {
    Float,
    Double,
    LongDouble,
}

impl FloatKind {
    pub fn c_name(self) -> &'static str {
        match self {
            FloatKind::Float => "float",
            FloatKind::Double => "double",
            FloatKind::LongDouble => "long double",
        }
    }
}

/// Type qualifiers (`restrict` is accepted by the parser and dropped: it changes nothing an
/// FFI can observe).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Quals {
    pub is_const: bool,
    pub is_volatile: bool,
}

impl Quals {
    pub const NONE: Quals = Quals { is_const: false, is_volatile: false };
    pub const CONST: Quals = Quals { is_const: true, is_volatile: false };

    pub fn is_empty(self) -> bool {
        !self.is_const && !self.is_volatile
    }

    pub fn union(self, other: Quals) -> Quals {
        Quals { is_const: self.is_const || other.is_const, is_volatile: self.is_volatile || other.is_volatile }
    }
}

impl fmt::Display for Quals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.is_const, self.is_volatile) {
            (true, true) => f.write_str("const volatile"),
            (true, false) => f.write_str("const"),
            (false, true) => f.write_str("volatile"),
            (false, false) => Ok(()),
        }
    }
}

/// The length of an array type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ArrayLen {
    Fixed(u64),
    /// `T[]`: an incomplete array (a flexible array member, an `extern` array of unknown size).
    Flexible,
    /// `T[?]`: LuaJIT's variable-length array, whose length is given when an object is made.
    Variable,
}

/// Calling conventions a function type can carry. `C` is the target's default C convention
/// (`__cdecl` and `__attribute__((cdecl))` name it explicitly); whether the others mean
/// anything on a given target is the ABI layer's business.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum CallConv {
    #[default]
    C,
    Stdcall,
    Fastcall,
    Thiscall,
    /// `__attribute__((ms_abi))`: the Microsoft x64 convention on any x86-64 target.
    MsAbi,
    /// `__attribute__((sysv_abi))`: the System V x86-64 convention on any x86-64 target.
    SysvAbi,
    /// `__attribute__((swiftcall))`.
    Swift,
}

impl CallConv {
    /// The keyword or attribute that writes this convention in C, `None` for the default.
    pub fn c_name(self) -> Option<&'static str> {
        match self {
            CallConv::C => None,
            CallConv::Stdcall => Some("__stdcall"),
            CallConv::Fastcall => Some("__fastcall"),
            CallConv::Thiscall => Some("__thiscall"),
            CallConv::MsAbi => Some("__attribute__((ms_abi))"),
            CallConv::SysvAbi => Some("__attribute__((sysv_abi))"),
            CallConv::Swift => Some("__attribute__((swiftcall))"),
        }
    }
}

/// Swift's special parameters (`__attribute__((swift_context))` and friends), which the Swift
/// convention passes in dedicated registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ParamAttr {
    #[default]
    None,
    SwiftContext,
    SwiftErrorResult,
    SwiftIndirectResult,
}

/// A function type. Parameter names are not part of the type (they live with the declared
/// function, see [`FunctionDecl`](super::FunctionDecl)).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FuncType {
    pub ret: CTypeId,
    /// Parameter types, already adjusted as C adjusts them (arrays and functions become
    /// pointers).
    pub params: Vec<CTypeId>,
    /// Attributes per parameter; empty when no parameter has one.
    pub param_attrs: Vec<ParamAttr>,
    pub variadic: bool,
    pub conv: CallConv,
}

/// `struct` or `union`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    Struct,
    Union,
}

impl RecordKind {
    pub fn keyword(self) -> &'static str {
        match self {
            RecordKind::Struct => "struct",
            RecordKind::Union => "union",
        }
    }
}

/// A member of a struct or union.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// `None` for an unnamed bit-field or an anonymous struct/union member.
    pub name: Option<Box<str>>,
    pub ty: CTypeId,
    /// Width of a bit-field.
    pub bits: Option<u32>,
    /// `__attribute__((aligned(N)))` or `__declspec(align(N))` on the member.
    pub align: Option<u32>,
    /// `__attribute__((packed))` on the member.
    pub packed: bool,
}

/// Attributes that change a record's layout, as written at its definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct RecordAttrs {
    /// `__attribute__((packed))` on the record.
    pub packed: bool,
    /// `__attribute__((aligned(N)))` or `__declspec(align(N))` on the record.
    pub align: Option<u32>,
    /// The `#pragma pack` value in force where the record was defined.
    pub pack: Option<u32>,
}

/// The members of a defined struct or union.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RecordBody {
    pub fields: Vec<Field>,
    pub attrs: RecordAttrs,
}

/// A struct or union type; `body` is `None` while it is only declared (`struct foo;`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Record {
    pub kind: RecordKind,
    pub tag: Option<Box<str>>,
    pub body: Option<RecordBody>,
}

/// An enumeration type; `body` is `None` while it is only declared.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EnumType {
    pub tag: Option<Box<str>>,
    pub body: Option<EnumBody>,
}

/// The constants of a defined enumeration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EnumBody {
    pub constants: Vec<(Box<str>, i128)>,
    /// `__attribute__((packed))`: GCC then picks the smallest integer type holding every value.
    pub packed: bool,
}

impl EnumBody {
    pub fn min_max(&self) -> (i128, i128) {
        let min = self.constants.iter().map(|c| c.1).min().unwrap_or(0);
        let max = self.constants.iter().map(|c| c.1).max().unwrap_or(0);
        (min, max)
    }
}

/// A C type. Records and enums are created by their definitions; every other variant is
/// interned, so equal values share one [`CTypeId`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CType {
    Void,
    /// `_Bool` / `bool`.
    Bool,
    Int(IntKind),
    Float(FloatKind),
    /// `_Complex float`, `_Complex double` (plain `complex`), `_Complex long double`.
    Complex(FloatKind),
    /// `va_list` (`__builtin_va_list`): its representation depends on the target.
    VaList,
    Pointer(CTypeId),
    /// A qualified type; `base` is never itself `Qualified` nor an array (qualifying an array
    /// qualifies its elements, as in C).
    Qualified {
        base: CTypeId,
        quals: Quals,
    },
    Array {
        elem: CTypeId,
        len: ArrayLen,
    },
    Func(FuncType),
    Record(Record),
    Enum(EnumType),
}

impl CType {
    /// Whether this variant is interned (records and enums are nominal).
    pub(crate) fn is_structural(&self) -> bool {
        !matches!(self, CType::Record(_) | CType::Enum(_))
    }
}
