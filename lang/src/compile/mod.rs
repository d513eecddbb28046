//! `ast::Chunk` -> `bytecode::Proto`: the code generator.
//!
//! The strategies are Lua 5.4's (lparser.c/lcode.c): expressions are lowered into an
//! [`ExpDesc`](expdesc::ExpDesc) that delays the choice of register until the consumer is known,
//! conditions become lists of pending jumps, constants are folded when that cannot change
//! behaviour, and scopes drive `Close`/`Tbc` emission and goto resolution. Because rivet has an
//! AST, the parser never drives code generation; this module walks the tree.
//!
//! Layout: `builder` (instructions, constants, jump lists, line info), `regalloc` (register
//! stack), `scope` (locals, upvalues, blocks, labels), `expdesc` (discharging expressions into
//! registers and jumps), `binop` (operators), `fold` (constant folding), `expr`/`stat` (the AST
//! walk). This module knows nothing about the VM beyond the contract in `bytecode::opcodes`.
#![forbid(unsafe_code)]

mod binop;
mod builder;
mod expdesc;
mod expr;
mod fold;
mod regalloc;
mod scope;
mod stat;
#[cfg(test)]
mod tests;

use crate::bytecode::{OpCode, Proto, UpvalDesc};
use crate::error::SyntaxError;
use crate::syntax::ast;
use builder::FuncBuilder;
use scope::{BlockInfo, LabelDesc, UpvalInfo, VarDesc};

/// A compile error before it is given its chunk name: Lua's message and the line it refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Error {
    pub line: u32,
    pub message: String,
}

pub(crate) type CResult<T> = Result<T, Error>;

/// Lua's `LUAI_MAXCCALLS`: how deeply statements and expressions may nest.
const MAX_NESTING: u32 = 200;

/// Compiles a parsed chunk into the `Proto` of its main function.
///
/// `chunkname` is the name given to `load` (`"=stdin"`, `"@file.lua"`, or the source text); it
/// becomes `Proto::source`, and errors carry its display form (`span::chunk_id`).
pub fn compile_chunk(chunk: &ast::Chunk, chunkname: &str) -> Result<Proto, SyntaxError> {
    let mut c = Compiler { funcs: Vec::new(), source: chunkname.to_string(), depth: 0 };
    c.main_function(chunk).map_err(|e| {
        let error = SyntaxError::new(crate::span::chunk_id(chunkname), e.line, e.message);
        // The parser's account of the same error says which token Lua's parser was at.
        match &chunk.too_many_locals {
            Some(parsed) if parsed.message.starts_with(&error.message) => parsed.clone(),
            _ => error,
        }
    })
}

/// The state of one function being compiled (Lua's `FuncState`).
pub(crate) struct FuncState {
    pub b: FuncBuilder,
    /// First free register.
    pub free_reg: u8,
    /// Frame size so far (always >= 2, as Lua).
    pub max_stack: u8,
    /// Declared variables: active ones first (`nactvar` of them), then ones being declared.
    pub actvars: Vec<VarDesc>,
    pub nactvar: usize,
    pub blocks: Vec<BlockInfo>,
    /// Labels visible at the current point.
    pub labels: Vec<LabelDesc>,
    /// Gotos (and breaks) waiting for their label.
    pub gotos: Vec<LabelDesc>,
    pub upvalues: Vec<UpvalInfo>,
    pub locvars: Vec<crate::bytecode::LocVar>,
    pub protos: Vec<Proto>,
    /// Some return must close upvalues or to-be-closed variables (Lua's `needclose`).
    pub needclose: bool,
    pub is_vararg: bool,
    pub num_params: u8,
    pub line_defined: u32,
}

impl FuncState {
    fn new(line_defined: u32) -> FuncState {
        FuncState {
            b: FuncBuilder::new(line_defined),
            free_reg: 0,
            max_stack: 2,
            actvars: Vec::new(),
            nactvar: 0,
            blocks: Vec::new(),
            labels: Vec::new(),
            gotos: Vec::new(),
            upvalues: Vec::new(),
            locvars: Vec::new(),
            protos: Vec::new(),
            needclose: false,
            is_vararg: false,
            num_params: 0,
            line_defined,
        }
    }

    /// An error at the line currently being compiled.
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error { line: self.b.line, message: message.into() }
    }

    /// Lua's `errorlimit`: `too many <what> (limit is N) in <function>`.
    pub fn limit_error(&self, limit: u32, what: &str) -> Error {
        let place = if self.line_defined == 0 {
            "main function".to_string()
        } else {
            format!("function at line {}", self.line_defined)
        };
        self.error(format!("too many {what} (limit is {limit}) in {place}"))
    }

    /// Marks the function as vararg and emits `VarArgPrep` (Lua's `setvararg`).
    fn set_vararg(&mut self, num_params: u8) {
        self.is_vararg = true;
        self.b.abc(OpCode::VarArgPrep, num_params as u32, 0, 0);
    }
}

/// The compiler: a stack of functions being compiled, innermost last.
pub(crate) struct Compiler {
    funcs: Vec<FuncState>,
    source: String,
    depth: u32,
}

impl Compiler {
    /// The innermost function.
    fn fs(&mut self) -> &mut FuncState {
        self.funcs.last_mut().expect("a function is always open while compiling")
    }

    fn fs_ref(&self) -> &FuncState {
        self.funcs.last().expect("a function is always open while compiling")
    }

    fn set_line(&mut self, line: u32) {
        self.fs().b.line = line;
    }

    /// Counts one level of statement/expression nesting, as Lua's `enterlevel`.
    fn enter_level(&mut self) -> CResult<()> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.fs_ref().error("C stack overflow"));
        }
        Ok(())
    }

    fn leave_level(&mut self) {
        self.depth -= 1;
    }

    fn open_function(&mut self, line_defined: u32) {
        let mut fs = FuncState::new(line_defined);
        fs.enter_block(false);
        self.funcs.push(fs);
    }

    /// Final return (on `ret_line`), closing of the outermost block (errors reported on
    /// `last_line`), final pass; returns the finished `Proto`.
    fn close_function(&mut self, last_line: u32, ret_line: u32) -> CResult<Proto> {
        self.set_line(ret_line);
        let fs = self.fs();
        let first = fs.nvarstack();
        fs.ret(first, Some(0));
        fs.b.line = last_line;
        fs.leave_block()?;
        debug_assert!(fs.blocks.is_empty());
        let mut fs = self.funcs.pop().expect("function being closed is open");
        let (needclose, is_vararg) = (fs.needclose, fs.is_vararg);
        fs.b.finish(needclose, is_vararg)?;
        let line_defined = fs.line_defined;
        let (code, line_info, constants) = fs.b.into_parts();
        Ok(Proto {
            code,
            line_info,
            constants,
            protos: fs.protos,
            upvalues: fs.upvalues.into_iter().map(|u| u.desc).collect(),
            locvars: fs.locvars,
            num_params: fs.num_params,
            is_vararg: fs.is_vararg,
            max_stack: fs.max_stack,
            line_defined,
            last_line_defined: if line_defined == 0 { 0 } else { last_line },
            source: self.source.clone(),
        })
    }

    fn main_function(&mut self, chunk: &ast::Chunk) -> CResult<Proto> {
        self.open_function(0);
        let fs = self.fs();
        // Lua attributes the prologue of a main chunk to line 1.
        fs.b.line = 1;
        fs.set_vararg(0);
        // The loader fills upvalue 0 with the global table.
        fs.upvalues
            .push(UpvalInfo { desc: UpvalDesc { in_stack: true, index: 0, name: "_ENV".into() }, readonly: false });
        self.stat_list(&chunk.body, false)?;
        self.close_function(chunk.end_line, chunk.last_token_line)
    }
}
