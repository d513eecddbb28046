//! The errors of the ffi crate.

use thiserror::Error;

/// A C declaration that cannot be accepted: `cdef:line:col: message near 'token'`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("cdef:{line}:{col}: {message} near '{near}'")]
pub struct CdeclError {
    /// 1-based line in the cdef text.
    pub line: u32,
    /// 1-based column (in bytes) of the token the error is reported at.
    pub col: u32,
    pub message: String,
    /// The token's text, or `<eof>`.
    pub near: String,
}

/// A type whose layout cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum LayoutError {
    #[error("size of incomplete type '{ty}' is unknown")]
    Incomplete { ty: String },
    #[error("type '{ty}' has no size")]
    NoSize { ty: String },
    #[error("array of variable-length elements '{ty}'")]
    VariableElement { ty: String },
    #[error("type '{ty}' is too large")]
    TooLarge { ty: String },
    /// A bit-field wider than its type on this target (`long x : 40` where `long` has 32 bits).
    #[error("bit-field of {width} bits does not fit its type '{ty}'")]
    BitfieldTooWide { ty: String, width: u32 },
}

/// A signature that cannot be given a call plan under a calling convention.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum AbiError {
    /// A convention, target or argument kind rivet does not implement (each such row is listed
    /// in the README's support table).
    #[error("{abi}: {what} is not supported")]
    Unsupported { abi: &'static str, what: String },
    /// The type is not a function (nor a pointer to one).
    #[error("'{ty}' is not a function type")]
    NotAFunction { ty: String },
    /// Variadic arguments given to a function that takes none, or a `void` vararg.
    #[error("{message}")]
    BadVarargs { message: String },
    /// A parameter or the result has no layout (incomplete struct, `void` parameter...).
    #[error(transparent)]
    Layout(#[from] LayoutError),
}

/// Code generation or executable memory failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum JitError {
    #[error(transparent)]
    Abi(#[from] AbiError),
    /// The plan is for an ISA this host cannot run (e.g. an AArch64 plan on x86-64).
    #[error("cannot run {abi} code on this host")]
    ForeignIsa { abi: &'static str },
    #[error("executable memory: {0}")]
    Memory(#[from] std::io::Error),
    #[error("assembler: {0}")]
    Assembler(String),
    /// C cannot tell a variadic callee which arguments it passed.
    #[error("a callback cannot be variadic")]
    VariadicCallback,
    /// The signature is outside what value entries handle (`jit::ValueEntry`).
    #[error("no value entry: {0}")]
    NoValueEntry(String),
}
