//! Preprocessor lines in a cdef: `#pragma pack(...)`, object-like `#define NAME value` (an
//! integer, floating or string constant expression, registered as a named constant), the null
//! directive and `#pragma once`. Everything else is rejected by name: rivet has no
//! preprocessor, so an `#include` or `#ifdef` cannot mean what its author expects.

use super::lexer::tokenize;
use super::parser::{PResult, Parser};
use super::token::Token;
use crate::ctype::{ConstantDecl, Decl};

/// `#pragma pack` state of one cdef: the value in force and the `push`ed ones.
#[derive(Clone, Debug, Default)]
pub(super) struct PackState {
    pub current: Option<u32>,
    stack: Vec<(Option<u32>, Option<Box<str>>)>,
}

impl Parser<'_> {
    /// At a directive token: runs it.
    pub fn directive(&mut self) -> PResult<()> {
        let tok = self.toks[self.pos];
        let body_start = tok.start as usize + 1;
        let text = &self.src[body_start..tok.end as usize];
        let sub = tokenize(self.src, body_start, text).map_err(|e| self.lex_error(e))?;
        let saved_toks = std::mem::replace(&mut self.toks, sub);
        let saved_pos = std::mem::replace(&mut self.pos, 0);
        let result = self.directive_body();
        self.toks = saved_toks;
        self.pos = saved_pos;
        result?;
        self.bump();
        Ok(())
    }

    fn directive_body(&mut self) -> PResult<()> {
        if self.peek() == Token::Eof {
            return Ok(());
        }
        if self.peek() != Token::Ident {
            return Err(self.error("preprocessor directive expected"));
        }
        match self.text() {
            "define" => {
                self.bump();
                self.define()?;
            }
            "pragma" => {
                self.bump();
                self.pragma()?;
            }
            other => {
                let message = format!(
                    "unsupported preprocessor directive '#{other}' (only #define and #pragma pack are understood)"
                );
                return Err(self.error(&message));
            }
        }
        if self.peek() != Token::Eof {
            return Err(self.error("unexpected symbol at the end of the directive"));
        }
        Ok(())
    }

    fn define(&mut self) -> PResult<()> {
        let at = self.pos;
        if self.peek() != Token::Ident {
            return Err(self.error("macro name expected"));
        }
        let name = self.text();
        let name_end = self.toks[self.pos].end;
        self.bump();
        if self.peek() == Token::LParen && self.toks[self.pos].start == name_end {
            return Err(self.error_at(at, "function-like macros are not supported"));
        }
        if self.peek() == Token::Eof {
            return Err(self.error_at(at, "#define without a value is not supported (only constants)"));
        }
        let value = self.const_expr()?;
        let (ty, value) = value.into_const(self);
        self.declare_name(name, Decl::Constant(ConstantDecl { ty, value }), at)
    }

    fn pragma(&mut self) -> PResult<()> {
        let at = self.pos;
        if self.peek() != Token::Ident {
            return Err(self.error("pragma name expected"));
        }
        match self.text() {
            "once" => {
                self.bump();
                Ok(())
            }
            "pack" => {
                self.bump();
                self.pragma_pack()
            }
            other => Err(self.error_at(at, &format!("unsupported #pragma '{other}'"))),
        }
    }

    /// `pack(n)`, `pack()`, `pack(push[, id][, n])`, `pack(pop[, id][, n])`.
    fn pragma_pack(&mut self) -> PResult<()> {
        self.expect(Token::LParen, "(")?;
        if self.eat(Token::RParen) {
            self.pack.current = None;
            return Ok(());
        }
        if self.peek() == Token::Number {
            self.pack.current = Some(self.pack_value()?);
            return self.expect(Token::RParen, ")");
        }
        let at = self.pos;
        let action = self.ident()?;
        let mut label: Option<Box<str>> = None;
        let mut value = None;
        while self.eat(Token::Comma) {
            if self.peek() == Token::Number && value.is_none() {
                value = Some(self.pack_value()?);
            } else if label.is_none() && value.is_none() {
                label = Some(self.ident()?.into());
            } else {
                return Err(self.error("unexpected argument to #pragma pack"));
            }
        }
        self.expect(Token::RParen, ")")?;
        match action {
            "push" => {
                self.pack.stack.push((self.pack.current, label));
                if value.is_some() {
                    self.pack.current = value;
                }
            }
            "pop" => {
                let found = match &label {
                    None => self.pack.stack.len().checked_sub(1),
                    Some(l) => self.pack.stack.iter().rposition(|(_, id)| id.as_deref() == Some(&**l)),
                };
                let Some(index) = found else {
                    return Err(self.error_at(at, "#pragma pack(pop) without a matching push"));
                };
                self.pack.current = self.pack.stack[index].0;
                self.pack.stack.truncate(index);
                if value.is_some() {
                    self.pack.current = value;
                }
            }
            _ => return Err(self.error_at(at, "#pragma pack expects push, pop, or a number")),
        }
        Ok(())
    }

    fn pack_value(&mut self) -> PResult<u32> {
        let at = self.pos;
        let n = self.const_int()?;
        match n {
            1 | 2 | 4 | 8 | 16 => Ok(n as u32),
            _ => Err(self.error_at(at, "#pragma pack value must be 1, 2, 4, 8 or 16")),
        }
    }
}
