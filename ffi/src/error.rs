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
