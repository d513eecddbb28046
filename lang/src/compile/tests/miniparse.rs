//! A small recursive-descent Lua parser used only by the compiler's tests, so that they can
//! be written as source text while the real parser (`crate::syntax`) is developed in
//! parallel. It accepts well-formed Lua 5.4 and panics on anything else: tests only.

use crate::syntax::ast::*;

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Name(String),
    Int(i64),
    Flt(f64),
    Str(Vec<u8>),
    Sym(&'static str),
    Eof,
}

const SYMS: &[&str] = &[
    "...", "..", "==", "~=", "<=", ">=", "<<", ">>", "//", "::", "+", "-", "*", "/", "%", "^", "#", "&", "~",
    "|", "<", ">", "=", "(", ")", "{", "}", "[", "]", ";", ":", ",", ".",
];

fn lex(src: &str) -> Vec<(Tok, u32)> {
    let b = src.as_bytes();
    let (mut i, mut line, mut out) = (0, 1u32, Vec::new());
    while i < b.len() {
        let c = b[i];
        if c == b'\n' {
            line += 1;
            i += 1;
        } else if c.is_ascii_whitespace() {
            i += 1;
        } else if b[i..].starts_with(b"--") {
            if b[i + 2..].starts_with(b"[[") {
                let end = src[i..].find("]]").expect("closed comment") + i;
                line += src[i..end].matches('\n').count() as u32;
                i = end + 2;
            } else {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push((Tok::Name(src[s..i].to_string()), line));
        } else if c.is_ascii_digit() || (c == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit()) {
            let s = i;
            if b[i..].starts_with(b"0x") || b[i..].starts_with(b"0X") {
                i += 2;
                while i < b.len() && b[i].is_ascii_hexdigit() {
                    i += 1;
                }
                let v = u64::from_str_radix(&src[s + 2..i], 16).expect("hex");
                out.push((Tok::Int(v as i64), line));
                continue;
            }
            while i < b.len()
                && (b[i].is_ascii_digit()
                    || b[i] == b'.'
                    || b[i] == b'e'
                    || b[i] == b'E'
                    || ((b[i] == b'-' || b[i] == b'+') && (b[i - 1] == b'e' || b[i - 1] == b'E')))
            {
                i += 1;
            }
            let t = &src[s..i];
            out.push((
                match t.parse::<i64>() {
                    Ok(v) => Tok::Int(v),
                    Err(_) => Tok::Flt(t.parse().expect("numeral")),
                },
                line,
            ));
        } else if c == b'"' || c == b'\'' {
            i += 1;
            let mut s = Vec::new();
            while b[i] != c {
                if b[i] == b'\\' {
                    i += 1;
                    s.push(match b[i] {
                        b'n' => b'\n',
                        b't' => b'\t',
                        o => o,
                    });
                } else {
                    s.push(b[i]);
                }
                i += 1;
            }
            i += 1;
            out.push((Tok::Str(s), line));
        } else if b[i..].starts_with(b"[[") {
            let end = src[i..].find("]]").expect("closed string") + i;
            out.push((Tok::Str(b[i + 2..end].to_vec()), line));
            line += src[i..end].matches('\n').count() as u32;
            i = end + 2;
        } else {
            let sym = SYMS.iter().find(|s| b[i..].starts_with(s.as_bytes())).expect("symbol");
            out.push((Tok::Sym(sym), line));
            i += sym.len();
        }
    }
    out.push((Tok::Eof, line));
    out
}

pub struct P {
    toks: Vec<(Tok, u32)>,
    pos: usize,
}

pub fn parse(src: &str) -> Chunk {
    let mut p = P { toks: lex(src), pos: 0 };
    let body = p.block();
    assert_eq!(p.peek(), &Tok::Eof, "trailing input at line {}", p.line());
    // As the real parser: the line of the last token (where Lua puts the final return).
    let end_line = if p.pos == 0 { 1 } else { p.toks[p.pos - 1].1 };
    Chunk { body, end_line }
}

impl P {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }
    fn line(&self) -> u32 {
        self.toks[self.pos].1
    }
    fn next(&mut self) -> Tok {
        self.pos += 1;
        self.toks[self.pos - 1].0.clone()
    }
    fn is(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Sym(x) if *x == s) || matches!(self.peek(), Tok::Name(x) if x == s)
    }
    fn accept(&mut self, s: &str) -> bool {
        if self.is(s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, s: &str) {
        assert!(self.accept(s), "expected {s} at line {}, got {:?}", self.line(), self.peek());
    }
    fn name(&mut self) -> String {
        match self.next() {
            Tok::Name(n) => n,
            t => panic!("name expected, got {t:?}"),
        }
    }

    fn block_end(&self) -> bool {
        ["end", "else", "elseif", "until"].iter().any(|k| self.is(k)) || self.peek() == &Tok::Eof
    }

    fn block(&mut self) -> Block {
        let mut stats = Vec::new();
        loop {
            while self.accept(";") {}
            if self.block_end() {
                return Block { stats, ret: None };
            }
            if self.is("return") {
                let line = self.line();
                self.next();
                let exprs = if self.block_end() || self.is(";") { vec![] } else { self.exprlist() };
                self.accept(";");
                return Block { stats, ret: Some(Return { exprs, line }) };
            }
            stats.push(self.stat());
        }
    }

    fn stat(&mut self) -> Stat {
        let line = self.line();
        let kind = if self.accept("local") {
            if self.accept("function") {
                let name = self.name();
                StatKind::LocalFunction { name, body: self.funcbody(line) }
            } else {
                let mut names = Vec::new();
                loop {
                    let name = self.name();
                    let attrib = if self.accept("<") {
                        let a = self.name();
                        self.expect(">");
                        if a == "const" { Attrib::Const } else { Attrib::Close }
                    } else {
                        Attrib::None
                    };
                    names.push(LocalName { name, attrib });
                    if !self.accept(",") {
                        break;
                    }
                }
                let exprs = if self.accept("=") { self.exprlist() } else { vec![] };
                StatKind::Local { names, exprs }
            }
        } else if self.accept("if") {
            let mut arms = Vec::new();
            let mut else_block = None;
            loop {
                let c = self.expr();
                self.expect("then");
                arms.push((c, self.block()));
                if self.accept("elseif") {
                    continue;
                }
                if self.accept("else") {
                    else_block = Some(self.block());
                }
                self.expect("end");
                break;
            }
            StatKind::If { arms, else_block }
        } else if self.accept("while") {
            let cond = self.expr();
            self.expect("do");
            let body = self.block();
            self.expect("end");
            StatKind::While { cond, body }
        } else if self.accept("do") {
            let b = self.block();
            self.expect("end");
            StatKind::Do(b)
        } else if self.accept("repeat") {
            let body = self.block();
            self.expect("until");
            StatKind::Repeat { body, cond: self.expr() }
        } else if self.accept("for") {
            let n1 = self.name();
            if self.accept("=") {
                let start = self.expr();
                self.expect(",");
                let limit = self.expr();
                let step = if self.accept(",") { Some(self.expr()) } else { None };
                self.expect("do");
                let body = self.block();
                self.expect("end");
                StatKind::NumericFor { var: n1, start, limit, step, body }
            } else {
                let mut names = vec![n1];
                while self.accept(",") {
                    names.push(self.name());
                }
                self.expect("in");
                let exprs = self.exprlist();
                self.expect("do");
                let body = self.block();
                self.expect("end");
                StatKind::GenericFor { names, exprs, body }
            }
        } else if self.accept("function") {
            let mut path = vec![self.name()];
            while self.accept(".") {
                path.push(self.name());
            }
            let method = if self.accept(":") { Some(self.name()) } else { None };
            StatKind::Function { path, method, body: self.funcbody(line) }
        } else if self.accept("break") {
            StatKind::Break
        } else if self.accept("goto") {
            StatKind::Goto(self.name())
        } else if self.accept("::") {
            let n = self.name();
            self.expect("::");
            StatKind::Label(n)
        } else {
            let e = self.suffixed();
            if self.is("=") || self.is(",") {
                let mut targets = vec![e];
                while self.accept(",") {
                    targets.push(self.suffixed());
                }
                self.expect("=");
                StatKind::Assign { targets, exprs: self.exprlist() }
            } else {
                StatKind::Call(e)
            }
        };
        Stat { kind, line }
    }

    fn funcbody(&mut self, line: u32) -> FuncBody {
        self.expect("(");
        let mut params = Vec::new();
        let mut is_vararg = false;
        while !self.accept(")") {
            if self.accept("...") {
                is_vararg = true;
            } else {
                params.push(self.name());
            }
            self.accept(",");
        }
        let body = self.block();
        let end_line = self.line();
        self.expect("end");
        FuncBody { params, is_vararg, body, line, end_line }
    }

    fn exprlist(&mut self) -> Vec<Expr> {
        let mut v = vec![self.expr()];
        while self.accept(",") {
            v.push(self.expr());
        }
        v
    }

    fn primary(&mut self) -> Expr {
        let line = self.line();
        if self.accept("(") {
            let e = self.expr();
            self.expect(")");
            return Expr::new(ExprKind::Paren(Box::new(e)), line);
        }
        Expr::new(ExprKind::Name(self.name()), line)
    }

    fn suffixed(&mut self) -> Expr {
        let line = self.line();
        let mut e = self.primary();
        loop {
            if self.accept(".") {
                let k = Expr::new(ExprKind::Str(self.name().into_bytes()), line);
                e = Expr::new(ExprKind::Index { obj: Box::new(e), key: Box::new(k) }, line);
            } else if self.accept("[") {
                let k = self.expr();
                self.expect("]");
                e = Expr::new(ExprKind::Index { obj: Box::new(e), key: Box::new(k) }, line);
            } else if self.accept(":") {
                let name = self.name();
                let args = self.args();
                e = Expr::new(ExprKind::MethodCall { obj: Box::new(e), name, args }, line);
            } else if self.is("(") || self.is("{") || matches!(self.peek(), Tok::Str(_)) {
                let args = self.args();
                e = Expr::new(ExprKind::Call { func: Box::new(e), args }, line);
            } else {
                return e;
            }
        }
    }

    fn args(&mut self) -> Vec<Expr> {
        let line = self.line();
        if let Tok::Str(s) = self.peek().clone() {
            self.next();
            return vec![Expr::new(ExprKind::Str(s), line)];
        }
        if self.is("{") {
            return vec![self.table()];
        }
        self.expect("(");
        if self.accept(")") {
            return vec![];
        }
        let v = self.exprlist();
        self.expect(")");
        v
    }

    fn table(&mut self) -> Expr {
        let line = self.line();
        self.expect("{");
        let mut fields = Vec::new();
        while !self.accept("}") {
            if self.accept("[") {
                let key = self.expr();
                self.expect("]");
                self.expect("=");
                fields.push(Field::Keyed { key, value: self.expr() });
            } else if matches!(self.peek(), Tok::Name(_)) && matches!(self.toks[self.pos + 1].0, Tok::Sym("=")) {
                let kl = self.line();
                let key = Expr::new(ExprKind::Str(self.name().into_bytes()), kl);
                self.expect("=");
                fields.push(Field::Keyed { key, value: self.expr() });
            } else {
                fields.push(Field::Positional(self.expr()));
            }
            if !self.accept(",") {
                self.accept(";");
            }
        }
        Expr::new(ExprKind::Table(fields), line)
    }

    fn simple(&mut self) -> Expr {
        let line = self.line();
        let kind = match self.peek().clone() {
            Tok::Int(i) => ExprKind::Int(i),
            Tok::Flt(f) => ExprKind::Float(f),
            Tok::Str(s) => ExprKind::Str(s),
            Tok::Name(n) if n == "nil" => ExprKind::Nil,
            Tok::Name(n) if n == "true" => ExprKind::True,
            Tok::Name(n) if n == "false" => ExprKind::False,
            Tok::Sym("...") => ExprKind::Vararg,
            Tok::Name(n) if n == "function" => {
                self.next();
                return Expr::new(ExprKind::Function(Box::new(self.funcbody(line))), line);
            }
            Tok::Sym("{") => return self.table(),
            _ => return self.suffixed(),
        };
        self.next();
        Expr::new(kind, line)
    }

    fn expr(&mut self) -> Expr {
        self.subexpr(0)
    }

    fn subexpr(&mut self, limit: u8) -> Expr {
        const UNARY: u8 = 12;
        let line = self.line();
        let unop = [("not", UnOp::Not), ("-", UnOp::Neg), ("#", UnOp::Len), ("~", UnOp::BNot)]
            .into_iter()
            .find(|(s, _)| self.is(s));
        let mut e = if let Some((_, op)) = unop {
            self.next();
            let operand = self.subexpr(UNARY);
            Expr::new(ExprKind::Unary { op, operand: Box::new(operand) }, line)
        } else {
            self.simple()
        };
        loop {
            let Some((op, l, r)) = self.binop() else { break };
            if l <= limit {
                break;
            }
            let line = self.line();
            self.next();
            let rhs = self.subexpr(r);
            e = Expr::new(ExprKind::Binary { op, lhs: Box::new(e), rhs: Box::new(rhs) }, line);
        }
        e
    }

    fn binop(&self) -> Option<(BinOp, u8, u8)> {
        use BinOp::*;
        let t: &[(&str, BinOp, u8, u8)] = &[
            ("+", Add, 10, 10),
            ("-", Sub, 10, 10),
            ("*", Mul, 11, 11),
            ("%", Mod, 11, 11),
            ("^", Pow, 14, 13),
            ("/", Div, 11, 11),
            ("//", IDiv, 11, 11),
            ("&", BAnd, 6, 6),
            ("|", BOr, 4, 4),
            ("~", BXor, 5, 5),
            ("<<", Shl, 7, 7),
            (">>", Shr, 7, 7),
            ("..", Concat, 9, 8),
            ("==", Eq, 3, 3),
            ("<", Lt, 3, 3),
            ("<=", Le, 3, 3),
            ("~=", Ne, 3, 3),
            (">", Gt, 3, 3),
            (">=", Ge, 3, 3),
            ("and", And, 2, 2),
            ("or", Or, 1, 1),
        ];
        t.iter().find(|(s, ..)| self.is(s)).map(|&(_, op, l, r)| (op, l, r))
    }
}
