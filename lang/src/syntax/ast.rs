//! The abstract syntax tree of a Lua 5.4 chunk.
//!
//! Produced by the grammar (`grammar.lalrpop`), consumed by `compile`. Every statement and
//! expression carries the source line it starts on, which becomes the line information of the
//! instructions compiled from it. The tree is plain owned data: `Debug + PartialEq`, no spans
//! into the source text, so parser tests can compare trees directly.

/// A whole chunk: the body of the implicit vararg main function.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub body: Block,
    /// Line of the end of input, where errors found when the chunk is closed are reported.
    pub end_line: u32,
    /// Line of the last token, 1 if there is none: the line of the final `RETURN`.
    pub last_token_line: u32,
    /// The first declaration past the limit of local variables, worded as Lua's parser reports
    /// it (which names the token it was looking at): the compiler, which finds the same
    /// declaration, reports this.
    pub too_many_locals: Option<crate::error::SyntaxError>,
}

/// A sequence of statements, optionally ended by a `return`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub stats: Vec<Stat>,
    pub ret: Option<Return>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    pub exprs: Vec<Expr>,
    pub line: u32,
}

/// A name as written in the source (Lua names are bytes; the lexer guarantees ASCII here).
pub type Name = String;

/// `<const>` / `<close>` on a local declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attrib {
    None,
    Const,
    Close,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LocalName {
    pub name: Name,
    pub attrib: Attrib,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stat {
    pub kind: StatKind,
    pub line: u32,
}

impl Stat {
    /// The line of the statement's last token, as far as the tree records it: where Lua
    /// puts code that follows the statement, such as a block's closing of upvalues.
    pub fn last_line(&self) -> u32 {
        match &self.kind {
            StatKind::Local { exprs, .. } | StatKind::Assign { exprs, .. } => {
                exprs.last().map_or(self.line, Expr::last_line)
            }
            StatKind::Call(call) => call.last_line(),
            StatKind::Repeat { cond, .. } => cond.last_line(),
            StatKind::Do { end_line, .. }
            | StatKind::While { end_line, .. }
            | StatKind::If { end_line, .. }
            | StatKind::NumericFor { end_line, .. }
            | StatKind::GenericFor { end_line, .. } => *end_line,
            StatKind::Function { body, .. } | StatKind::LocalFunction { body, .. } => body.end_line,
            StatKind::Break | StatKind::Goto(_) | StatKind::Label(_) => self.line,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum StatKind {
    /// `local a <const>, b = e1, e2`
    Local {
        names: Vec<LocalName>,
        exprs: Vec<Expr>,
    },
    /// `t.x, y = e1, e2` — every target is `Expr::Name` or `Expr::Index`.
    Assign {
        targets: Vec<Expr>,
        exprs: Vec<Expr>,
    },
    /// A function or method call used as a statement (always `ExprKind::Call` or
    /// `ExprKind::MethodCall`).
    Call(Expr),
    Do {
        body: Block,
        end_line: u32,
    },
    /// `end_line` (of the closing `end`) is where Lua puts the code leaving a loop.
    While {
        cond: Expr,
        body: Block,
        end_line: u32,
    },
    /// `repeat body until cond` — `cond` sees the locals of `body`.
    Repeat {
        body: Block,
        cond: Expr,
    },
    /// `if c1 then b1 elseif c2 then b2 else b3 end`
    If {
        arms: Vec<IfArm>,
        else_block: Option<Block>,
        end_line: u32,
    },
    NumericFor {
        var: Name,
        start: Expr,
        limit: Expr,
        step: Option<Expr>,
        body: Block,
        end_line: u32,
    },
    GenericFor {
        names: Vec<Name>,
        exprs: Vec<Expr>,
        body: Block,
        end_line: u32,
    },
    /// `function a.b.c:m() end` — `path` is `["a", "b", "c"]`, `method` is `Some("m")`.
    Function {
        path: Vec<Name>,
        method: Option<Name>,
        body: FuncBody,
    },
    /// `local function f() end` (f is in scope inside its own body).
    LocalFunction {
        name: Name,
        body: FuncBody,
    },
    Break,
    Goto(Name),
    Label(Name),
}

/// `if cond then block` (or `elseif`). The test of `cond` is on the line of `then`, as Lua
/// codes it once `then` is read.
#[derive(Debug, Clone, PartialEq)]
pub struct IfArm {
    pub cond: Expr,
    pub then_line: u32,
    pub block: Block,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FuncBody {
    pub params: Vec<Name>,
    pub is_vararg: bool,
    pub body: Block,
    /// Line of `function` (Lua's `linedefined`).
    pub line: u32,
    /// Line of the closing `end` (Lua's `lastlinedefined`).
    pub end_line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Nil,
    True,
    False,
    /// `...`
    Vararg,
    Int(i64),
    Float(f64),
    /// A LuaJIT literal (`123LL`, `123ULL`, `12.5i`): a cdata made by the host.
    CData(crate::number::CDataLiteral),
    /// String literal after escape processing (may hold any bytes).
    Str(Vec<u8>),
    Function(Box<FuncBody>),
    /// A table constructor; `end_line` is the line of its closing brace.
    Table {
        fields: Vec<Field>,
        end_line: u32,
    },
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Unary {
        op: UnOp,
        operand: Box<Expr>,
    },
    Name(Name),
    /// `obj[key]`, and `obj.name` as `key = Str(name)`.
    Index {
        obj: Box<Expr>,
        key: Box<Expr>,
    },
    /// `end_line` is the line of the arguments' last token (the closing parenthesis).
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        end_line: u32,
    },
    /// `obj:name(args)`
    MethodCall {
        obj: Box<Expr>,
        name: Name,
        args: Vec<Expr>,
        end_line: u32,
    },
    /// `(e)` — truncates a multi-value expression to one value.
    Paren(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// `[k] = v` and `name = v` (as `k = Str(name)`).
    Keyed { key: Expr, value: Expr },
    /// A positional item.
    Positional(Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    IDiv,
    Mod,
    Pow,
    Concat,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    BAnd,
    BOr,
    BXor,
    Shl,
    Shr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnOp {
    Neg,
    Not,
    Len,
    BNot,
}

impl Expr {
    pub fn new(kind: ExprKind, line: u32) -> Expr {
        Expr { kind, line }
    }

    /// The line of the expression's last token, as far as the tree records it: the line Lua
    /// attributes to instructions coded once the whole expression is read.
    pub fn last_line(&self) -> u32 {
        match &self.kind {
            ExprKind::Binary { rhs, .. } => rhs.last_line(),
            ExprKind::Unary { operand, .. } => operand.last_line(),
            ExprKind::Index { key, .. } => key.last_line(),
            ExprKind::Call { end_line, .. } | ExprKind::MethodCall { end_line, .. } => *end_line,
            ExprKind::Function(body) => body.end_line,
            ExprKind::Paren(inner) => inner.last_line(),
            ExprKind::Table { end_line, .. } => *end_line,
            _ => self.line,
        }
    }

    /// True for expressions that can produce several values (calls and `...`).
    pub fn is_multi(&self) -> bool {
        matches!(self.kind, ExprKind::Call { .. } | ExprKind::MethodCall { .. } | ExprKind::Vararg)
    }
}
