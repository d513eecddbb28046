//! C declarations: the lexer (logos) and a recursive-descent parser that reads a cdef into a
//! [`CTypeTable`], and the abstract type strings of `ffi.typeof`, `ffi.new` and `ffi.cast`.
//!
//! Accepted: everything LuaJIT's `ffi.cdef` accepts (declarations of functions, `extern`
//! variables, typedefs, structs, unions and enums, `static const` constants, `asm("symbol")`
//! labels, attributes and calling-convention keywords, `#pragma pack`) plus object-like
//! `#define NAME constant`. A cdef either succeeds entirely or changes nothing.
#![forbid(unsafe_code)]

mod attributes;
mod compat;
mod consteval;
mod declaration;
mod declarator;
mod directive;
mod enums;
mod keywords;
mod lexer;
mod literal;
mod parser;
mod record;
mod specifiers;
mod token;

#[cfg(test)]
mod tests;

use crate::ctype::{CTypeId, CTypeTable};
use crate::error::CdeclError;
use parser::Parser;

/// A value substituted for a `$` in a type string (LuaJIT's parameterised types).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeParam {
    /// Where a type is expected: `ffi.typeof("$ *", ct)`.
    Type(CTypeId),
    /// Where a number is expected (an array size, a constant): `ffi.typeof("int[$]", 10)`.
    Int(i64),
    /// Where a name is expected (a member name, a tag): `ffi.typeof("struct { int $; }", "x")`.
    Name(String),
}

/// Reads the declarations in `text` into `table`. On error nothing is added.
pub fn cdef(table: &mut CTypeTable, text: &str) -> Result<(), CdeclError> {
    transaction(table, |table| Parser::new(text, table, &[])?.cdef())
}

/// Reads declarations with `params` substituted for their `$`s (LuaJIT's parameterised
/// `ffi.cdef`). On error nothing is added.
pub fn cdef_with_params(table: &mut CTypeTable, text: &str, params: &[TypeParam]) -> Result<(), CdeclError> {
    transaction(table, |table| Parser::new(text, table, params)?.cdef())
}

/// Parses a type string (`"int[?]"`, `"struct foo *"`, `"int (*)(int)"`, `"$ *"`) with
/// `params` substituted for its `$`s. The string may define a struct, union or enum; on error
/// nothing is added.
pub fn parse_type(table: &mut CTypeTable, text: &str, params: &[TypeParam]) -> Result<CTypeId, CdeclError> {
    transaction(table, |table| Parser::new(text, table, params)?.type_string())
}

fn transaction<T>(
    table: &mut CTypeTable,
    body: impl FnOnce(&mut CTypeTable) -> Result<T, CdeclError>,
) -> Result<T, CdeclError> {
    table.begin();
    match body(table) {
        Ok(v) => {
            table.commit();
            Ok(v)
        }
        Err(e) => {
            table.rollback();
            Err(e)
        }
    }
}

impl CTypeTable {
    /// Reads the declarations in `text`; see [`cdef`].
    pub fn cdef(&mut self, text: &str) -> Result<(), CdeclError> {
        cdef(self, text)
    }

    /// Reads declarations with `params` substituted for their `$`s (LuaJIT's parameterised
    /// `ffi.cdef`). On error nothing is added.
    pub fn cdef_with_params(table: &mut CTypeTable, text: &str, params: &[TypeParam]) -> Result<(), CdeclError> {
        transaction(table, |table| Parser::new(text, table, params)?.cdef())
    }

    /// Parses a type string; see [`parse_type`].
    pub fn parse_type(&mut self, text: &str, params: &[TypeParam]) -> Result<CTypeId, CdeclError> {
        parse_type(self, text, params)
    }
}
