//! What an ordinary identifier names after a cdef: a typedef, a function, a variable or a
//! constant (enumerator, `static const`, `#define`).

use super::types::CTypeId;

/// A declared function.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDecl {
    /// A [`CType::Func`](super::CType::Func).
    pub ty: CTypeId,
    /// Parameter names as declared (`None` where the declaration gives none).
    pub param_names: Vec<Option<Box<str>>>,
    /// The symbol named by `asm("symbol")`, when it differs from the C name.
    pub asm_name: Option<Box<str>>,
}

/// A declared (`extern`) variable.
#[derive(Clone, Debug, PartialEq)]
pub struct VariableDecl {
    pub ty: CTypeId,
    pub asm_name: Option<Box<str>>,
}

/// The value of a named constant.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    /// An integer, within the range of the constant's type.
    Int(i128),
    Float(f64),
    /// The bytes of a string literal, without the terminating zero.
    Str(Vec<u8>),
}

/// A named constant and its C type (`int` for enumerators that fit, the literal's type for
/// `#define`s, the declared type for `static const`).
#[derive(Clone, Debug, PartialEq)]
pub struct ConstantDecl {
    pub ty: CTypeId,
    pub value: ConstValue,
}

/// What an ordinary identifier names.
#[derive(Clone, Debug, PartialEq)]
pub enum Decl {
    Typedef(CTypeId),
    Function(FunctionDecl),
    Variable(VariableDecl),
    Constant(ConstantDecl),
}

impl Decl {
    /// The kind of symbol, as error messages name it.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Decl::Typedef(_) => "typedef",
            Decl::Function(_) => "function",
            Decl::Variable(_) => "variable",
            Decl::Constant(_) => "constant",
        }
    }
}
