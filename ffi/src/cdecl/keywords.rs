//! The C keywords the parser knows, with every spelling compilers accept for them (GCC's
//! `__x__` forms, MSVC's `_x` forms): one table (STYLE.md convention 12).

macro_rules! keywords {
    ($($kw:ident => [$($spelling:literal),+],)*) => {
        /// A keyword, whatever its spelling.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Kw { $($kw),* }

        /// The keyword an identifier spells, if any.
        pub fn keyword(text: &str) -> Option<Kw> {
            match text {
                $($($spelling)|+ => Some(Kw::$kw),)*
                _ => None,
            }
        }
    };
}

keywords! {
    Void => ["void"],
    Bool => ["_Bool", "bool"],
    Char => ["char"],
    Short => ["short"],
    Int => ["int"],
    Long => ["long"],
    Float => ["float"],
    Double => ["double"],
    Signed => ["signed", "__signed", "__signed__"],
    Unsigned => ["unsigned"],
    Complex => ["_Complex", "complex", "__complex", "__complex__"],
    Int8 => ["__int8"],
    Int16 => ["__int16"],
    Int32 => ["__int32"],
    Int64 => ["__int64"],
    Struct => ["struct"],
    Union => ["union"],
    Enum => ["enum"],
    Typedef => ["typedef"],
    Extern => ["extern"],
    Static => ["static"],
    Inline => ["inline", "__inline", "__inline__", "__forceinline"],
    Register => ["register"],
    Const => ["const", "__const", "__const__"],
    Volatile => ["volatile", "__volatile", "__volatile__"],
    Restrict => ["restrict", "__restrict", "__restrict__"],
    Sizeof => ["sizeof"],
    Alignof => ["_Alignof", "__alignof", "__alignof__", "alignof"],
    Alignas => ["_Alignas", "alignas"],
    Attribute => ["__attribute__", "__attribute"],
    Declspec => ["__declspec"],
    Asm => ["asm", "__asm", "__asm__"],
    Extension => ["__extension__"],
    Cdecl => ["__cdecl", "_cdecl"],
    Stdcall => ["__stdcall", "_stdcall"],
    Fastcall => ["__fastcall", "_fastcall"],
    Thiscall => ["__thiscall", "_thiscall"],
    Vectorcall => ["__vectorcall", "_vectorcall"],
}

impl Kw {
    /// Whether the keyword can start a declaration's specifiers (or a type name).
    pub fn starts_specifiers(self) -> bool {
        !matches!(self, Kw::Sizeof | Kw::Alignof | Kw::Asm)
    }
}
