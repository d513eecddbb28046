//! What the grammar's actions call: AST node constructors that also measure depth.
//!
//! Every node the grammar builds travels with its depth (`Deep`): the number of statements
//! and expressions on the longest path below and including it. A node deeper than
//! `MAX_LEVELS` is refused with Lua's "too many" message, so no tree deep enough to overflow
//! the stack of a recursive walk (compiling, dropping) is ever built — also for chains that
//! Lua parses with a loop, like `a + b + c ...` or `f()()()...`.

use lalrpop_util::ParseError;

use super::ast::*;
use super::lines::LineTable;
use super::nesting::MAX_LEVELS;
use super::token::Token;
use crate::error::SyntaxError;
use crate::number::Number;

pub type Error = ParseError<usize, Token, SyntaxError>;
type R<T> = Result<T, Error>;

/// The message for nesting beyond `MAX_LEVELS`.
pub const TOO_DEEP: &str = "chunk has too many syntax levels";

/// A node and its depth.
#[derive(Debug, Clone, PartialEq)]
pub struct Deep<T> {
    pub node: T,
    pub depth: u32,
}

impl<T> Deep<Vec<T>> {
    pub fn empty() -> Self {
        Deep { node: Vec::new(), depth: 0 }
    }

    pub fn one(item: Deep<T>) -> Self {
        Deep { node: vec![item.node], depth: item.depth }
    }

    pub fn push(mut self, item: Deep<T>) -> Self {
        self.node.push(item.node);
        self.depth = self.depth.max(item.depth);
        self
    }
}

/// Call arguments: where they start (the call's line) and the expressions.
pub type Args = (usize, Deep<Vec<Expr>>);

/// What the actions need besides their symbols: lines and the chunk name for errors.
pub struct Ctx<'s> {
    pub chunk: &'s str,
    pub lines: &'s LineTable,
}

impl Ctx<'_> {
    pub fn line(&self, offset: usize) -> u32 {
        self.lines.line(offset)
    }

    pub fn error(&self, offset: usize, message: impl Into<String>) -> Error {
        ParseError::User { error: SyntaxError::new(self.chunk, self.line(offset), message) }
    }

    fn checked(&self, depth: u32, offset: usize) -> R<u32> {
        if depth > MAX_LEVELS {
            Err(self.error(offset, TOO_DEEP))
        } else {
            Ok(depth)
        }
    }

    /// An expression node over children of depth `below`.
    pub fn expr(&self, kind: ExprKind, offset: usize, below: u32) -> R<Deep<Expr>> {
        let depth = self.checked(below + 1, offset)?;
        Ok(Deep { node: Expr::new(kind, self.line(offset)), depth })
    }

    pub fn leaf(&self, kind: ExprKind, offset: usize) -> R<Deep<Expr>> {
        self.expr(kind, offset, 0)
    }

    pub fn numeral(&self, value: Number, offset: usize) -> R<Deep<Expr>> {
        let kind = match value {
            Number::Int(i) => ExprKind::Int(i),
            Number::Float(f) => ExprKind::Float(f),
        };
        self.leaf(kind, offset)
    }

    /// `lhs op rhs`, attributed to the operator's line (as Lua's `luaK_posfix`).
    pub fn binary(&self, lhs: Deep<Expr>, op: BinOp, rhs: Deep<Expr>, op_offset: usize) -> R<Deep<Expr>> {
        let below = lhs.depth.max(rhs.depth);
        let kind = ExprKind::Binary { op, lhs: Box::new(lhs.node), rhs: Box::new(rhs.node) };
        self.expr(kind, op_offset, below)
    }

    pub fn unary(&self, op: UnOp, operand: Deep<Expr>, offset: usize) -> R<Deep<Expr>> {
        let below = operand.depth;
        self.expr(ExprKind::Unary { op, operand: Box::new(operand.node) }, offset, below)
    }

    /// `obj[key]`, attributed to the line where `obj` starts.
    pub fn index(&self, obj: Deep<Expr>, key: Deep<Expr>, offset: usize) -> R<Deep<Expr>> {
        let below = obj.depth.max(key.depth);
        self.expr(ExprKind::Index { obj: Box::new(obj.node), key: Box::new(key.node) }, offset, below)
    }

    /// `obj.name`.
    pub fn field(&self, obj: Deep<Expr>, name: Name, name_offset: usize, offset: usize) -> R<Deep<Expr>> {
        let key = self.leaf(ExprKind::Str(name.into_bytes()), name_offset)?;
        self.index(obj, key, offset)
    }

    /// `func(args)`, attributed to the line where the arguments start (Lua's `funcargs`).
    pub fn call(&self, func: Deep<Expr>, (args_offset, args): Args) -> R<Deep<Expr>> {
        let below = func.depth.max(args.depth);
        self.expr(ExprKind::Call { func: Box::new(func.node), args: args.node }, args_offset, below)
    }

    pub fn method_call(&self, obj: Deep<Expr>, name: Name, (args_offset, args): Args) -> R<Deep<Expr>> {
        let below = obj.depth.max(args.depth);
        let kind = ExprKind::MethodCall { obj: Box::new(obj.node), name, args: args.node };
        self.expr(kind, args_offset, below)
    }

    /// `(e)`: kept only where it matters, around multi-value expressions; it still counts
    /// as a level, as it does in Lua.
    pub fn paren(&self, inner: Deep<Expr>, offset: usize) -> R<Deep<Expr>> {
        if inner.node.is_multi() {
            let below = inner.depth;
            self.expr(ExprKind::Paren(Box::new(inner.node)), offset, below)
        } else {
            let depth = self.checked(inner.depth + 1, offset)?;
            Ok(Deep { node: inner.node, depth })
        }
    }

    /// `function body`; `offset` is the `function` keyword's.
    pub fn function(&self, mut body: Deep<FuncBody>, offset: usize) -> R<Deep<Expr>> {
        body.node.line = self.line(offset);
        self.expr(ExprKind::Function(Box::new(body.node)), offset, body.depth)
    }

    pub fn table(&self, fields: Deep<Vec<Field>>, offset: usize) -> R<Deep<Expr>> {
        self.expr(ExprKind::Table(fields.node), offset, fields.depth)
    }

    pub fn keyed_field(&self, key: Deep<Expr>, value: Deep<Expr>) -> Deep<Field> {
        let depth = key.depth.max(value.depth);
        Deep { node: Field::Keyed { key: key.node, value: value.node }, depth }
    }

    pub fn named_field(&self, name: Name, name_offset: usize, value: Deep<Expr>) -> R<Deep<Field>> {
        let key = self.leaf(ExprKind::Str(name.into_bytes()), name_offset)?;
        Ok(self.keyed_field(key, value))
    }

    pub fn positional_field(&self, value: Deep<Expr>) -> Deep<Field> {
        Deep { depth: value.depth, node: Field::Positional(value.node) }
    }

    /// The parameter list and body of a function; `line` is filled in by the caller, which
    /// has the `function` keyword.
    pub fn func_body(&self, (params, is_vararg): (Vec<Name>, bool), body: Deep<Block>, end_offset: usize) -> Deep<FuncBody> {
        let end_line = self.line(end_offset);
        Deep { depth: body.depth, node: FuncBody { params, is_vararg, body: body.node, line: 0, end_line } }
    }

    pub fn block(&self, stats: Deep<Vec<Stat>>, ret: Option<Deep<Return>>) -> Deep<Block> {
        let depth = stats.depth.max(ret.as_ref().map_or(0, |r| r.depth));
        Deep { node: Block { stats: stats.node, ret: ret.map(|r| r.node) }, depth }
    }

    pub fn ret(&self, exprs: Option<Deep<Vec<Expr>>>, offset: usize) -> R<Deep<Return>> {
        let exprs = exprs.unwrap_or_else(Deep::empty);
        let depth = self.checked(exprs.depth + 1, offset)?;
        Ok(Deep { node: Return { exprs: exprs.node, line: self.line(offset) }, depth })
    }

    /// A statement node over children of depth `below`.
    pub fn stat(&self, kind: StatKind, offset: usize, below: u32) -> R<Deep<Stat>> {
        let depth = self.checked(below + 1, offset)?;
        Ok(Deep { node: Stat { kind, line: self.line(offset) }, depth })
    }

    pub fn repeat(&self, body: Deep<Block>, cond: Deep<Expr>, offset: usize) -> R<Deep<Stat>> {
        let below = body.depth.max(cond.depth);
        self.stat(StatKind::Repeat { body: body.node, cond: cond.node }, offset, below)
    }

    /// Adds an assignment target. Lua counts each target as a level of recursion.
    pub fn target(&self, targets: Deep<Vec<Expr>>, target: Deep<Expr>, offset: usize) -> R<Deep<Vec<Expr>>> {
        let targets = targets.push(target);
        self.checked(u32::try_from(targets.node.len()).unwrap_or(u32::MAX), offset)?;
        Ok(targets)
    }

    pub fn assign(&self, targets: Deep<Vec<Expr>>, exprs: Deep<Vec<Expr>>, offset: usize) -> R<Deep<Stat>> {
        let below = targets.depth.max(exprs.depth);
        self.stat(StatKind::Assign { targets: targets.node, exprs: exprs.node }, offset, below)
    }

    /// `<const>` / `<close>`; any other attribute is an error (no `near`, as in Lua).
    pub fn attrib(&self, name: Name, attrib: Name, offset: usize) -> R<LocalName> {
        let attrib = match attrib.as_str() {
            "const" => Attrib::Const,
            "close" => Attrib::Close,
            _ => return Err(self.error(offset, format!("unknown attribute '{attrib}'"))),
        };
        Ok(LocalName { name, attrib })
    }

    pub fn if_stat(
        &self,
        first: (Deep<Expr>, Deep<Block>),
        elseifs: Vec<(Deep<Expr>, Deep<Block>)>,
        else_block: Option<Deep<Block>>,
        offset: usize,
    ) -> R<Deep<Stat>> {
        let mut below = else_block.as_ref().map_or(0, |b| b.depth);
        let mut arms = Vec::with_capacity(elseifs.len() + 1);
        for (cond, block) in std::iter::once(first).chain(elseifs) {
            below = below.max(cond.depth).max(block.depth);
            arms.push((cond.node, block.node));
        }
        self.stat(StatKind::If { arms, else_block: else_block.map(|b| b.node) }, offset, below)
    }
}
