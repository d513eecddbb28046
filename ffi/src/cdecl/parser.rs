//! The parser's state and token cursor, error construction, and the top level of a cdef and
//! of a type string. The grammar lives in the sibling files, each adding methods to
//! [`Parser`]: `specifiers.rs`, `declarator.rs`, `record.rs`, `enums.rs`, `attributes.rs`,
//! `consteval.rs`, `directive.rs`, `declaration.rs`.
//!
//! Recursive descent, because C's grammar needs feedback from the declarations read so far: an
//! identifier is a type name exactly when a typedef declared it (and no other type specifier
//! came before it).

use super::directive::PackState;
use super::keywords::{keyword, Kw};
use super::lexer::{tokenize, LexError, Lines, Tok};
use super::token::Token;
use super::TypeParam;
use crate::ctype::{CTypeId, CTypeTable, Decl};
use crate::error::CdeclError;

pub(super) type PResult<T> = Result<T, CdeclError>;

pub(super) struct Parser<'a> {
    pub src: &'a str,
    pub toks: Vec<Tok>,
    pub pos: usize,
    lines: Lines,
    pub table: &'a mut CTypeTable,
    pub params: &'a [TypeParam],
    pub next_param: usize,
    pub pack: PackState,
    /// Depth of operands that are parsed but not evaluated (`0 && 1/0`): errors of
    /// evaluation are not raised there.
    pub unevaluated: u32,
    /// Depth of nested declarators, expressions and records being parsed.
    nesting: u32,
}

/// How deeply declarators, expressions and records may nest in the text.
const MAX_NESTING: u32 = 100;

impl<'a> Parser<'a> {
    pub fn new(src: &'a str, table: &'a mut CTypeTable, params: &'a [TypeParam]) -> PResult<Parser<'a>> {
        let lines = Lines::new(src);
        let toks = tokenize(src, 0, src).map_err(|e| lex_error(&lines, e))?;
        Ok(Parser {
            src,
            toks,
            pos: 0,
            lines,
            table,
            params,
            next_param: 0,
            pack: PackState::default(),
            unevaluated: 0,
            nesting: 0,
        })
    }

    /// A whole cdef: declarations and preprocessor lines.
    pub fn cdef(&mut self) -> PResult<()> {
        loop {
            match self.peek() {
                Token::Eof => return Ok(()),
                Token::Directive => self.directive()?,
                Token::Semi => self.bump(),
                _ => self.external_declaration()?,
            }
        }
    }

    /// A type string (`int[?]`, `struct foo *`, `int (*)(int)`), with `$` parameters.
    pub fn type_string(&mut self) -> PResult<CTypeId> {
        let ty = self.type_name()?;
        if self.peek() != Token::Eof {
            return Err(self.error("unexpected symbol after the type"));
        }
        if self.next_param < self.params.len() {
            return Err(self.error("more parameters than '$' placeholders"));
        }
        Ok(ty)
    }

    // ---- cursor ----

    pub fn peek(&self) -> Token {
        self.toks[self.pos].kind
    }

    pub fn peek_at(&self, ahead: usize) -> Token {
        self.toks[(self.pos + ahead).min(self.toks.len() - 1)].kind
    }

    pub fn bump(&mut self) {
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
    }

    pub fn eat(&mut self, kind: Token) -> bool {
        if self.peek() == kind {
            self.bump();
            true
        } else {
            false
        }
    }

    pub fn expect(&mut self, kind: Token, what: &str) -> PResult<()> {
        if self.eat(kind) {
            Ok(())
        } else {
            Err(self.error(&format!("'{what}' expected")))
        }
    }

    /// Text of the token at index `i`.
    pub fn text_at(&self, i: usize) -> &'a str {
        let t = self.toks[i];
        &self.src[t.start as usize..t.end as usize]
    }

    pub fn text(&self) -> &'a str {
        self.text_at(self.pos)
    }

    /// The keyword the current token spells.
    pub fn kw(&self) -> Option<Kw> {
        self.kw_at(0)
    }

    pub fn kw_at(&self, ahead: usize) -> Option<Kw> {
        let i = (self.pos + ahead).min(self.toks.len() - 1);
        if self.toks[i].kind == Token::Ident {
            keyword(self.text_at(i))
        } else {
            None
        }
    }

    /// An identifier that is not a keyword, consumed.
    pub fn ident(&mut self) -> PResult<&'a str> {
        if self.peek() == Token::Ident && self.kw().is_none() {
            let name = self.text();
            self.bump();
            Ok(name)
        } else {
            Err(self.error("identifier expected"))
        }
    }

    /// The type a typedef name at `ahead` names, if it is one.
    pub fn typedef_at(&self, ahead: usize) -> Option<CTypeId> {
        if self.peek_at(ahead) != Token::Ident || self.kw_at(ahead).is_some() {
            return None;
        }
        match self.table.lookup(self.text_at(self.pos + ahead)) {
            Some(Decl::Typedef(ty)) => Some(*ty),
            _ => None,
        }
    }

    /// The next `$` parameter, consumed (the `$` token is the caller's to consume).
    pub fn take_param(&mut self) -> PResult<TypeParam> {
        match self.params.get(self.next_param) {
            Some(p) => {
                self.next_param += 1;
                Ok(p.clone())
            }
            None => Err(self.error("missing parameter for '$'")),
        }
    }

    /// The next `$` parameter without consuming it.
    pub fn peek_param(&self) -> Option<&TypeParam> {
        self.params.get(self.next_param)
    }

    /// Runs `parse` one nesting level deeper, failing cleanly instead of exhausting the stack.
    pub fn nested<T>(&mut self, parse: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.nesting >= MAX_NESTING {
            return Err(self.error("declaration nested too deeply"));
        }
        self.nesting += 1;
        let result = parse(self);
        self.nesting -= 1;
        result
    }

    /// Fails if `ty` nests deeper than the table allows.
    pub fn check_depth(&self, ty: CTypeId, at: usize) -> PResult<()> {
        if self.table.depth(ty) > CTypeTable::MAX_DEPTH {
            return Err(self.error_at(at, "type nested too deeply"));
        }
        Ok(())
    }

    // ---- errors ----

    /// An error at the current token.
    pub fn error(&self, message: &str) -> CdeclError {
        self.error_at(self.pos, message)
    }

    /// An error at token `i`.
    pub fn error_at(&self, i: usize, message: &str) -> CdeclError {
        let tok = self.toks[i];
        let (line, col) = self.lines.line_col(tok.start);
        let near = if tok.kind == Token::Eof { "<eof>".to_string() } else { near_text(self.text_at(i)) };
        CdeclError { line, col, message: message.to_string(), near }
    }

    pub fn lex_error(&self, e: LexError) -> CdeclError {
        lex_error(&self.lines, e)
    }
}

fn lex_error(lines: &Lines, e: LexError) -> CdeclError {
    let (line, col) = lines.line_col(e.offset);
    CdeclError { line, col, message: e.message.to_string(), near: near_text(&e.near) }
}

/// The token text shown after `near`: the first line, shortened.
fn near_text(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.chars().count() > 40 {
        let cut: String = first_line.chars().take(37).collect();
        format!("{cut}...")
    } else {
        first_line.to_string()
    }
}
