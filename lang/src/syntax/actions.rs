//! What the grammar's actions call: AST node constructors that also measure depth.
//!
//! Every node the grammar builds travels with two measures (`Deep`):
//! - `depth`, the nesting levels Lua's recursive-descent parser would use: more than
//!   `MAX_LEVELS` is refused with Lua's "too many" message. Chains that Lua parses with a
//!   loop — left-associative operators `a + b + c ...`, suffixes `f()()()...`, `a.b.c...` —
//!   do not add levels along the chain, as in Lua.
//! - `height`, the real height of the tree: more than `MAX_HEIGHT` is refused with the same
//!   message, so no tree tall enough to overflow the stack of a recursive walk (compiling,
//!   dropping) is ever built.

use lalrpop_util::ParseError;

use super::ast::*;
use super::lines::LineTable;
use super::nesting::MAX_LEVELS;
use super::numeral::NumeralValue;
use super::token::Token;
use crate::error::SyntaxError;
use crate::number::Number;

pub type Error = ParseError<usize, Token, SyntaxError>;
type R<T> = Result<T, Error>;

/// The message for nesting beyond `MAX_LEVELS`.
pub const TOO_DEEP: &str = "chunk has too many syntax levels";

/// Tallest tree accepted (long left-associative chains); recursive walks of the tree use
/// about a kilobyte of stack per level at most.
pub const MAX_HEIGHT: u32 = 1000;

/// A node and its depth.
#[derive(Debug, Clone, PartialEq)]
pub struct Deep<T> {
    pub node: T,
    pub depth: u32,
    pub height: u32,
}

/// The measures of a node's children: the maximum of each.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Below {
    pub depth: u32,
    pub height: u32,
}

impl Below {
    pub fn of<T>(d: &Deep<T>) -> Below {
        Below { depth: d.depth, height: d.height }
    }

    pub fn max(self, other: Below) -> Below {
        Below { depth: self.depth.max(other.depth), height: self.height.max(other.height) }
    }

    pub fn and<T>(self, d: &Deep<T>) -> Below {
        self.max(Below::of(d))
    }
}

impl<T> Deep<T> {
    pub fn below(&self) -> Below {
        Below::of(self)
    }
}

impl<T> Deep<Vec<T>> {
    pub fn empty() -> Self {
        Deep { node: Vec::new(), depth: 0, height: 0 }
    }

    pub fn one(item: Deep<T>) -> Self {
        Deep { node: vec![item.node], depth: item.depth, height: item.height }
    }

    pub fn push(mut self, item: Deep<T>) -> Self {
        self.node.push(item.node);
        self.depth = self.depth.max(item.depth);
        self.height = self.height.max(item.height);
        self
    }
}

/// Call arguments: where they start (the call's line) and the expressions.
/// Call arguments: where they start, the expressions, where their last token starts.
pub type Args = (usize, Deep<Vec<Expr>>, usize);

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

    /// The measures of a node one level above `below`, checked against both limits.
    fn checked(&self, below: Below, offset: usize) -> R<Below> {
        self.checked_levels(below.depth + 1, below.height + 1, offset)
    }

    fn checked_levels(&self, depth: u32, height: u32, offset: usize) -> R<Below> {
        if depth > MAX_LEVELS || height > MAX_HEIGHT {
            Err(self.error(offset, TOO_DEEP))
        } else {
            Ok(Below { depth, height })
        }
    }

    /// An expression node over children measuring `below`.
    pub fn expr(&self, kind: ExprKind, offset: usize, below: Below) -> R<Deep<Expr>> {
        let m = self.checked(below, offset)?;
        Ok(Deep { node: Expr::new(kind, self.line(offset)), depth: m.depth, height: m.height })
    }

    /// A link of a chain Lua parses with a loop (`head op item`, `head[item]`, `head(items)`):
    /// the head's levels are not increased, only the item's.
    fn chain_link(&self, kind: ExprKind, offset: usize, head: Below, item: Below) -> R<Deep<Expr>> {
        let depth = head.depth.max(item.depth + 1);
        let height = head.height.max(item.height) + 1;
        let m = self.checked_levels(depth, height, offset)?;
        Ok(Deep { node: Expr::new(kind, self.line(offset)), depth: m.depth, height: m.height })
    }

    pub fn leaf(&self, kind: ExprKind, offset: usize) -> R<Deep<Expr>> {
        self.expr(kind, offset, Below::default())
    }

    pub fn numeral(&self, value: NumeralValue, offset: usize) -> R<Deep<Expr>> {
        let kind = match value {
            NumeralValue::Lua(Number::Int(i)) => ExprKind::Int(i),
            NumeralValue::Lua(Number::Float(f)) => ExprKind::Float(f),
            NumeralValue::CData(lit) => ExprKind::CData(lit),
        };
        self.leaf(kind, offset)
    }

    /// `lhs op rhs`, attributed to the operator's line (as Lua's `luaK_posfix`).
    pub fn binary(&self, lhs: Deep<Expr>, op: BinOp, rhs: Deep<Expr>, op_offset: usize) -> R<Deep<Expr>> {
        let (l, r) = (lhs.below(), rhs.below());
        let kind = ExprKind::Binary { op, lhs: Box::new(lhs.node), rhs: Box::new(rhs.node) };
        // `..` and `^` are right-associative: Lua recurses for them, so they nest.
        if matches!(op, BinOp::Concat | BinOp::Pow) {
            self.expr(kind, op_offset, l.max(r))
        } else {
            self.chain_link(kind, op_offset, l, r)
        }
    }

    pub fn unary(&self, op: UnOp, operand: Deep<Expr>, offset: usize) -> R<Deep<Expr>> {
        let below = operand.below();
        // LuaJIT folds the sign into a suffixed literal (`-12.5i` is a constant; negating a
        // complex number at run time is an error there).
        if let (UnOp::Neg, ExprKind::CData(lit)) = (op, &operand.node.kind) {
            return self.expr(ExprKind::CData(lit.negated()), offset, below);
        }
        self.expr(ExprKind::Unary { op, operand: Box::new(operand.node) }, offset, below)
    }

    /// `obj[key]`, attributed to the line where `obj` starts.
    pub fn index(&self, obj: Deep<Expr>, key: Deep<Expr>, offset: usize) -> R<Deep<Expr>> {
        let (head, item) = (obj.below(), key.below());
        self.chain_link(ExprKind::Index { obj: Box::new(obj.node), key: Box::new(key.node) }, offset, head, item)
    }

    /// `obj.name`.
    pub fn field(&self, obj: Deep<Expr>, name: Name, name_offset: usize, offset: usize) -> R<Deep<Expr>> {
        let key = self.leaf(ExprKind::Str(name.into_bytes()), name_offset)?;
        self.index(obj, key, offset)
    }

    /// `func(args)`, attributed to the line where the arguments start (Lua's `funcargs`).
    pub fn call(&self, func: Deep<Expr>, (args_offset, args, end): Args) -> R<Deep<Expr>> {
        let (head, item) = (func.below(), args.below());
        let kind = ExprKind::Call { func: Box::new(func.node), args: args.node, end_line: self.line(end) };
        self.chain_link(kind, args_offset, head, item)
    }

    pub fn method_call(&self, obj: Deep<Expr>, name: Name, (args_offset, args, end): Args) -> R<Deep<Expr>> {
        let (head, item) = (obj.below(), args.below());
        let kind = ExprKind::MethodCall { obj: Box::new(obj.node), name, args: args.node, end_line: self.line(end) };
        self.chain_link(kind, args_offset, head, item)
    }

    /// `(e)`: kept only where it matters, around multi-value expressions; it still counts
    /// as a level, as it does in Lua.
    pub fn paren(&self, inner: Deep<Expr>, offset: usize) -> R<Deep<Expr>> {
        if inner.node.is_multi() {
            let below = inner.below();
            self.expr(ExprKind::Paren(Box::new(inner.node)), offset, below)
        } else {
            let m = self.checked(inner.below(), offset)?;
            Ok(Deep { node: inner.node, depth: m.depth, height: m.height })
        }
    }

    /// `function body`; `offset` is the `function` keyword's.
    pub fn function(&self, mut body: Deep<FuncBody>, offset: usize) -> R<Deep<Expr>> {
        body.node.line = self.line(offset);
        let below = body.below();
        self.expr(ExprKind::Function(Box::new(body.node)), offset, below)
    }

    /// `{fields}`; `end` is where the closing brace is.
    pub fn table(&self, fields: Deep<Vec<Field>>, offset: usize, end: usize) -> R<Deep<Expr>> {
        let below = fields.below();
        self.expr(ExprKind::Table { fields: fields.node, end_line: self.line(end) }, offset, below)
    }

    pub fn keyed_field(&self, key: Deep<Expr>, value: Deep<Expr>) -> Deep<Field> {
        let m = key.below().and(&value);
        Deep { node: Field::Keyed { key: key.node, value: value.node }, depth: m.depth, height: m.height }
    }

    pub fn named_field(&self, name: Name, name_offset: usize, value: Deep<Expr>) -> R<Deep<Field>> {
        let key = self.leaf(ExprKind::Str(name.into_bytes()), name_offset)?;
        Ok(self.keyed_field(key, value))
    }

    pub fn positional_field(&self, value: Deep<Expr>) -> Deep<Field> {
        let m = value.below();
        Deep { node: Field::Positional(value.node), depth: m.depth, height: m.height }
    }

    /// The parameter list and body of a function; `line` is filled in by the caller, which
    /// has the `function` keyword.
    pub fn func_body(
        &self,
        (params, is_vararg): (Vec<Name>, bool),
        body: Deep<Block>,
        end_offset: usize,
    ) -> Deep<FuncBody> {
        let end_line = self.line(end_offset);
        let m = body.below();
        Deep {
            node: FuncBody { params, is_vararg, body: body.node, line: 0, end_line },
            depth: m.depth,
            height: m.height,
        }
    }

    pub fn block(&self, stats: Deep<Vec<Stat>>, ret: Option<Deep<Return>>) -> Deep<Block> {
        let m = ret.as_ref().map_or(stats.below(), |r| stats.below().and(r));
        Deep { node: Block { stats: stats.node, ret: ret.map(|r| r.node) }, depth: m.depth, height: m.height }
    }

    pub fn ret(&self, exprs: Option<Deep<Vec<Expr>>>, offset: usize) -> R<Deep<Return>> {
        let exprs = exprs.unwrap_or_else(Deep::empty);
        let m = self.checked(exprs.below(), offset)?;
        Ok(Deep { node: Return { exprs: exprs.node, line: self.line(offset) }, depth: m.depth, height: m.height })
    }

    /// A statement node over children measuring `below`.
    pub fn stat(&self, kind: StatKind, offset: usize, below: Below) -> R<Deep<Stat>> {
        let m = self.checked(below, offset)?;
        Ok(Deep { node: Stat { kind, line: self.line(offset) }, depth: m.depth, height: m.height })
    }

    pub fn repeat(&self, body: Deep<Block>, cond: Deep<Expr>, offset: usize) -> R<Deep<Stat>> {
        let below = body.below().and(&cond);
        self.stat(StatKind::Repeat { body: body.node, cond: cond.node }, offset, below)
    }

    /// Adds an assignment target. Lua counts each target as a level of recursion.
    pub fn target(&self, targets: Deep<Vec<Expr>>, target: Deep<Expr>, offset: usize) -> R<Deep<Vec<Expr>>> {
        let targets = targets.push(target);
        let n = u32::try_from(targets.node.len()).unwrap_or(u32::MAX);
        self.checked_levels(n, targets.height, offset)?;
        Ok(targets)
    }

    pub fn assign(&self, targets: Deep<Vec<Expr>>, exprs: Deep<Vec<Expr>>, offset: usize) -> R<Deep<Stat>> {
        let below = targets.below().and(&exprs);
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
        first: (Deep<Expr>, usize, Deep<Block>),
        elseifs: Vec<(Deep<Expr>, usize, Deep<Block>)>,
        else_block: Option<Deep<Block>>,
        offset: usize,
        end: usize,
    ) -> R<Deep<Stat>> {
        let mut below = else_block.as_ref().map_or(Below::default(), Below::of);
        let mut arms = Vec::with_capacity(elseifs.len() + 1);
        for (cond, then_offset, block) in std::iter::once(first).chain(elseifs) {
            below = below.and(&cond).and(&block);
            arms.push(IfArm { cond: cond.node, then_line: self.line(then_offset), block: block.node });
        }
        let end_line = self.line(end);
        self.stat(StatKind::If { arms, else_block: else_block.map(|b| b.node), end_line }, offset, below)
    }
}
