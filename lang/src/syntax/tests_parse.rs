//! Parse trees: every statement kind, precedence and associativity, calls, tables, lines.
//!
//! Trees are compared through a compact prefix rendering (`dump`) that shows the structure
//! unambiguously: binary and unary operators as `(op a b)`, indexing as `obj[key]`.

use super::ast::*;
use super::parse;

fn dump_expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Nil => "nil".into(),
        ExprKind::True => "true".into(),
        ExprKind::False => "false".into(),
        ExprKind::Vararg => "...".into(),
        ExprKind::Int(i) => format!("{i}"),
        ExprKind::Float(f) => format!("{f:?}"),
        ExprKind::CData(lit) => lit.source_text(),
        ExprKind::Str(s) => format!("\"{}\"", s.escape_ascii()),
        ExprKind::Function(f) => format!("function{}", dump_body(f)),
        ExprKind::Table { fields, .. } => {
            let fields: Vec<String> = fields
                .iter()
                .map(|f| match f {
                    Field::Keyed { key, value } => format!("[{}]={}", dump_expr(key), dump_expr(value)),
                    Field::Positional(v) => dump_expr(v),
                })
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        ExprKind::Binary { op, lhs, rhs } => format!("({} {} {})", binop(*op), dump_expr(lhs), dump_expr(rhs)),
        ExprKind::Unary { op, operand } => {
            let op = match op {
                UnOp::Neg => "neg",
                UnOp::Not => "not",
                UnOp::Len => "#",
                UnOp::BNot => "bnot",
            };
            format!("({op} {})", dump_expr(operand))
        }
        ExprKind::Name(n) => n.clone(),
        ExprKind::Index { obj, key } => format!("{}[{}]", dump_expr(obj), dump_expr(key)),
        ExprKind::Call { func, args, .. } => format!("{}({})", dump_expr(func), dump_list(args)),
        ExprKind::MethodCall { obj, name, args, .. } => format!("{}:{name}({})", dump_expr(obj), dump_list(args)),
        ExprKind::Paren(e) => format!("paren({})", dump_expr(e)),
    }
}

fn binop(op: BinOp) -> &'static str {
    use BinOp::*;
    match op {
        Add => "+",
        Sub => "-",
        Mul => "*",
        Div => "/",
        IDiv => "//",
        Mod => "%",
        Pow => "^",
        Concat => "..",
        Eq => "==",
        Ne => "~=",
        Lt => "<",
        Le => "<=",
        Gt => ">",
        Ge => ">=",
        And => "and",
        Or => "or",
        BAnd => "&",
        BOr => "|",
        BXor => "~",
        Shl => "<<",
        Shr => ">>",
    }
}

fn dump_list(exprs: &[Expr]) -> String {
    exprs.iter().map(dump_expr).collect::<Vec<_>>().join(", ")
}

fn dump_body(f: &FuncBody) -> String {
    let mut params = f.params.clone();
    if f.is_vararg {
        params.push("...".into());
    }
    format!("({}) {} end", params.join(", "), dump_block(&f.body))
}

fn dump_block(b: &Block) -> String {
    let mut parts: Vec<String> = b.stats.iter().map(dump_stat).collect();
    if let Some(r) = &b.ret {
        parts.push(format!("return {}", dump_list(&r.exprs)).trim_end().to_string());
    }
    parts.join("; ")
}

fn dump_stat(s: &Stat) -> String {
    match &s.kind {
        StatKind::Local { names, exprs } => {
            let names: Vec<String> = names
                .iter()
                .map(|n| match n.attrib {
                    Attrib::None => n.name.clone(),
                    Attrib::Const => format!("{}<const>", n.name),
                    Attrib::Close => format!("{}<close>", n.name),
                })
                .collect();
            if exprs.is_empty() {
                format!("local {}", names.join(", "))
            } else {
                format!("local {} = {}", names.join(", "), dump_list(exprs))
            }
        }
        StatKind::Assign { targets, exprs } => format!("{} = {}", dump_list(targets), dump_list(exprs)),
        StatKind::Call(e) => dump_expr(e),
        StatKind::Do { body: b, .. } => format!("do {} end", dump_block(b)),
        StatKind::While { cond, body, .. } => format!("while {} do {} end", dump_expr(cond), dump_block(body)),
        StatKind::Repeat { body, cond } => format!("repeat {} until {}", dump_block(body), dump_expr(cond)),
        StatKind::If { arms, else_block, .. } => {
            let mut out = String::new();
            for (i, IfArm { cond, block, .. }) in arms.iter().enumerate() {
                let kw = if i == 0 { "if" } else { " elseif" };
                out += &format!("{kw} {} then {}", dump_expr(cond), dump_block(block));
            }
            if let Some(b) = else_block {
                out += &format!(" else {}", dump_block(b));
            }
            out + " end"
        }
        StatKind::NumericFor { var, start, limit, step, body, .. } => {
            let step = step.as_ref().map(|s| format!(", {}", dump_expr(s))).unwrap_or_default();
            format!("for {var} = {}, {}{step} do {} end", dump_expr(start), dump_expr(limit), dump_block(body))
        }
        StatKind::GenericFor { names, exprs, body, .. } => {
            format!("for {} in {} do {} end", names.join(", "), dump_list(exprs), dump_block(body))
        }
        StatKind::Function { path, method, body } => {
            let method = method.as_ref().map(|m| format!(":{m}")).unwrap_or_default();
            format!("function {}{method}{}", path.join("."), dump_body(body))
        }
        StatKind::LocalFunction { name, body } => format!("local function {name}{}", dump_body(body)),
        StatKind::Break => "break".into(),
        StatKind::Goto(n) => format!("goto {n}"),
        StatKind::Label(n) => format!("::{n}::"),
    }
}

fn tree(src: &str) -> String {
    match parse(src.as_bytes(), "=test") {
        Ok(chunk) => dump_block(&chunk.body),
        Err(e) => panic!("{src:?} should parse: {e}"),
    }
}

/// The tree of `return <expr>`.
fn expr(src: &str) -> String {
    let t = tree(&format!("return {src}"));
    t.strip_prefix("return ").unwrap().to_string()
}

#[test]
fn precedence_of_binary_operators() {
    assert_eq!(expr("1 + 2 * 3"), "(+ 1 (* 2 3))");
    assert_eq!(expr("1 * 2 + 3"), "(+ (* 1 2) 3)");
    assert_eq!(expr("a or b and c"), "(or a (and b c))");
    assert_eq!(expr("a and b or c"), "(or (and a b) c)");
    assert_eq!(expr("a < b == c"), "(== (< a b) c)");
    assert_eq!(expr("a == b | c"), "(== a (| b c))");
    assert_eq!(expr("a | b ~ c"), "(| a (~ b c))");
    assert_eq!(expr("a ~ b & c"), "(~ a (& b c))");
    assert_eq!(expr("a & b << c"), "(& a (<< b c))");
    assert_eq!(expr("a << b .. c"), "(<< a (.. b c))");
    assert_eq!(expr("a .. b + c"), "(.. a (+ b c))");
    assert_eq!(expr("a + b % c"), "(+ a (% b c))");
    assert_eq!(expr("a // b * c / d"), "(/ (* (// a b) c) d)");
    assert_eq!(expr("a < b <= c > d >= e ~= f"), "(~= (>= (> (<= (< a b) c) d) e) f)");
    assert_eq!(expr("a >> b << c"), "(<< (>> a b) c)");
}

#[test]
fn associativity() {
    assert_eq!(expr("a - b - c"), "(- (- a b) c)");
    assert_eq!(expr("a .. b .. c"), "(.. a (.. b c))");
    assert_eq!(expr("a ^ b ^ c"), "(^ a (^ b c))");
    assert_eq!(expr("a or b or c"), "(or (or a b) c)");
}

#[test]
fn unary_operators_and_power() {
    assert_eq!(expr("-x^2"), "(neg (^ x 2))");
    assert_eq!(expr("2^-3"), "(^ 2 (neg 3))");
    assert_eq!(expr("2^-3^2"), "(^ 2 (neg (^ 3 2)))");
    assert_eq!(expr("not a == b"), "(== (not a) b)");
    assert_eq!(expr("#t + 1"), "(+ (# t) 1)");
    assert_eq!(expr("~a ~ ~b"), "(~ (bnot a) (bnot b))");
    assert_eq!(expr("- - a"), "(neg (neg a))");
    assert_eq!(expr("a - -b"), "(- a (neg b))");
    assert_eq!(expr("-a .. b"), "(.. (neg a) b)");
}

#[test]
fn literals() {
    assert_eq!(expr("nil, true, false, ..."), "nil, true, false, ...");
    assert_eq!(expr("1, 2.5, 3., .5, 1e2"), "1, 2.5, 3.0, 0.5, 100.0");
    assert_eq!(expr("'a\\n', \"b\", [[c]]"), "\"a\\n\", \"b\", \"c\"");
}

#[test]
fn non_utf8_string_bytes_survive() {
    let chunk = parse(b"return '\xff\xfe\\0'", "=t").unwrap();
    assert_eq!(chunk.body.ret.unwrap().exprs[0].kind, ExprKind::Str(b"\xff\xfe\0".to_vec()));
}

#[test]
fn parentheses() {
    assert_eq!(expr("(a + b) * c"), "(* (+ a b) c)");
    assert_eq!(expr("(a)"), "a", "parentheses around a single value are dropped");
    assert_eq!(expr("(f())"), "paren(f())");
    assert_eq!(expr("(...)"), "paren(...)");
    assert_eq!(expr("((f()))"), "paren(f())");
    assert_eq!(expr("(f)()"), "f()");
    assert_eq!(expr("(a).b"), "a[\"b\"]");
}

#[test]
fn indexing_and_calls() {
    assert_eq!(expr("a.b.c"), "a[\"b\"][\"c\"]");
    assert_eq!(expr("a[b][1]"), "a[b][1]");
    assert_eq!(expr("f(1, 2)(3)"), "f(1, 2)(3)");
    assert_eq!(expr("f()"), "f()");
    assert_eq!(expr("a:b(1)"), "a:b(1)");
    assert_eq!(expr("a.b:c\"x\""), "a[\"b\"]:c(\"x\")");
    assert_eq!(expr("f\"x\""), "f(\"x\")");
    assert_eq!(expr("f[[x]]"), "f(\"x\")");
    assert_eq!(expr("f{1}"), "f({1})");
    assert_eq!(expr("a:b{}:c'x'.d[e]"), "a:b({}):c(\"x\")[\"d\"][e]");
    assert_eq!(expr("f(...)"), "f(...)");
    assert_eq!(expr("('x'):rep(3)"), "\"x\":rep(3)");
}

#[test]
fn newline_before_parenthesis_continues_a_call() {
    assert_eq!(tree("f\n(g)"), "f(g)");
    assert_eq!(tree("a = f\n(g).x"), "a = f(g)[\"x\"]");
    assert_eq!(tree("local a = b\n(f)()"), "local a = b(f)()");
    assert_eq!(tree("f()\n(g)()"), "f()(g)()");
    assert_eq!(tree("repeat until x\n(f)()"), "repeat  until x(f)()");
    assert_eq!(tree("x = a + b\n(f)()"), "x = (+ a b(f)())");
    assert_eq!(tree("x = -a\n(f)"), "x = (neg a(f))");
    assert_eq!(tree("x = a ^ b\n(f)"), "x = (^ a b(f))");
    assert_eq!(tree("x = (a)\n(f)"), "x = a(f)");
    assert_eq!(tree("f{}\n(g)"), "f({})(g)");
    assert_eq!(tree("f''\n(g)"), "f(\"\")(g)");
}

#[test]
fn parenthesised_statements_after_closed_statements() {
    assert_eq!(tree("local x\n(f)()"), "local x; f()");
    assert_eq!(tree("x = 1;(f)()"), "x = 1; f()");
    assert_eq!(tree("x = 1\n(f)()"), "x = 1; f()", "a numeral cannot be called");
    assert_eq!(tree("x = a + 'b'\n(f)()"), "x = (+ a \"b\"); f()");
    assert_eq!(tree("x = {}\n(f)()"), "x = {}; f()");
    assert_eq!(tree("x = function() end\n(f)()"), "x = function()  end; f()");
    assert_eq!(tree("x = ...\n(f)()"), "x = ...; f()");
    assert_eq!(tree("local x = nil (f)()"), "local x = nil; f()");
    assert_eq!(tree("repeat until true (f)()"), "repeat  until true; f()");
    assert_eq!(tree("(a).b = 1 (f)()"), "a[\"b\"] = 1; f()");
    assert_eq!(tree("do end (f)()"), "do  end; f()");
    assert_eq!(tree("break (f).x = 1"), "break; f[\"x\"] = 1");
    assert_eq!(tree("(f)()"), "f()");
    assert_eq!(tree("(a)[1], b = 1, 2"), "a[1], b = 1, 2");
}

#[test]
fn table_constructors() {
    assert_eq!(expr("{}"), "{}");
    assert_eq!(expr("{1, 2; 3,}"), "{1, 2, 3}");
    assert_eq!(expr("{x = 1, [2] = 3; y}"), "{[\"x\"]=1, [2]=3, y}");
    assert_eq!(expr("{f(), ...;}"), "{f(), ...}");
    assert_eq!(expr("{x == 1}"), "{(== x 1)}");
    assert_eq!(expr("{{}, {{}}}"), "{{}, {{}}}");
}

#[test]
fn functions() {
    assert_eq!(expr("function() end"), "function()  end");
    assert_eq!(expr("function(a, b, ...) return a end"), "function(a, b, ...) return a end");
    assert_eq!(expr("function(...) end"), "function(...)  end");
    assert_eq!(tree("function a.b.c:m(x) end"), "function a.b.c:m(x)  end");
    assert_eq!(tree("function f() end"), "function f()  end");
    assert_eq!(tree("local function f(a) return f(a) end"), "local function f(a) return f(a) end");
}

#[test]
fn local_attributes() {
    assert_eq!(tree("local a <const>, b <close>, c = 1"), "local a<const>, b<close>, c = 1");
    assert_eq!(tree("local a <const> = 1 local b"), "local a<const> = 1; local b");
    assert_eq!(tree("local a, b"), "local a, b");
}

#[test]
fn every_statement_kind() {
    assert_eq!(tree(";;; x = 1 ;"), "x = 1");
    assert_eq!(tree("a, b.c, d[1] = 1, 2"), "a, b[\"c\"], d[1] = 1, 2");
    assert_eq!(tree("f(1) a:b()"), "f(1); a:b()");
    assert_eq!(tree("::top:: goto top"), "::top::; goto top");
    assert_eq!(tree("while x do break end"), "while x do break end");
    assert_eq!(tree("do local x end"), "do local x end");
    assert_eq!(tree("repeat local y = 1 until y"), "repeat local y = 1 until y");
    assert_eq!(tree("if a then x() end"), "if a then x() end");
    assert_eq!(
        tree("if a then elseif b then y() elseif c then else z() end"),
        "if a then  elseif b then y() elseif c then  else z() end"
    );
    assert_eq!(tree("for i = 1, 10 do end"), "for i = 1, 10 do  end");
    assert_eq!(tree("for i = 10, 1, -1 do end"), "for i = 10, 1, (neg 1) do  end");
    assert_eq!(tree("for k, v in pairs(t) do end"), "for k, v in pairs(t) do  end");
    assert_eq!(tree("for k in a, b, c do end"), "for k in a, b, c do  end");
    assert_eq!(tree("goto continue"), "goto continue");
}

#[test]
fn return_statements() {
    assert_eq!(tree("return"), "return");
    assert_eq!(tree("return;"), "return");
    assert_eq!(tree("return 1, 2;"), "return 1, 2");
    assert_eq!(tree("do return end"), "do return end");
    assert_eq!(tree("x = 1 return x"), "x = 1; return x");
    assert_eq!(tree("if a then return else return 1 end"), "if a then return else return 1 end");
}

#[test]
fn a_hash_first_line_is_not_skipped_by_the_parser() {
    // Files skip it when they are read (luaL_loadfilex); text given to `load` does not.
    let e = parse(b"#=1", "=x").unwrap_err();
    assert_eq!(e.to_string(), "x:1: unexpected symbol near '#'");
}

fn lines_of(src: &str) -> Chunk {
    parse(src.as_bytes(), "=test").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn statement_and_expression_lines() {
    let chunk = lines_of("\nlocal x =\n  1 +\n  2\nf\n(\n3)\nreturn x\n\n");
    let stats = &chunk.body.stats;
    assert_eq!(stats[0].line, 2);
    let StatKind::Local { exprs, .. } = &stats[0].kind else { panic!() };
    assert_eq!(exprs[0].line, 3, "a binary expression is on its operator's line");
    let ExprKind::Binary { lhs, rhs, .. } = &exprs[0].kind else { panic!() };
    assert_eq!((lhs.line, rhs.line), (3, 4));
    assert_eq!(stats[1].line, 5);
    let StatKind::Call(call) = &stats[1].kind else { panic!() };
    assert_eq!(call.line, 6, "a call is on the line where its arguments open");
    assert_eq!(chunk.body.ret.as_ref().unwrap().line, 8);
    assert_eq!(chunk.end_line, 10);
    assert_eq!(chunk.last_token_line, 8);
}

#[test]
fn function_lines() {
    let chunk = lines_of("local function f()\n\nend\nlocal g = function\n() end");
    let StatKind::LocalFunction { body, .. } = &chunk.body.stats[0].kind else { panic!() };
    assert_eq!((body.line, body.end_line), (1, 3));
    let StatKind::Local { exprs, .. } = &chunk.body.stats[1].kind else { panic!() };
    let ExprKind::Function(body) = &exprs[0].kind else { panic!() };
    assert_eq!((exprs[0].line, body.line, body.end_line), (4, 4, 5));
    let chunk = lines_of("x = 1\nfunction a.b:c()\nend");
    let StatKind::Function { body, .. } = &chunk.body.stats[1].kind else { panic!() };
    assert_eq!((chunk.body.stats[1].line, body.line, body.end_line), (2, 2, 3));
}

#[test]
fn method_call_and_string_argument_lines() {
    let chunk = lines_of("obj\n:m\n'x'\nt.k\n.j = 1");
    let StatKind::Call(call) = &chunk.body.stats[0].kind else { panic!() };
    assert_eq!(call.line, 3);
    let StatKind::Assign { targets, .. } = &chunk.body.stats[1].kind else { panic!() };
    assert_eq!(targets[0].line, 4, "an index expression is on the line where it starts");
    let ExprKind::Index { key, .. } = &targets[0].kind else { panic!() };
    assert_eq!(key.line, 5);
}

#[test]
fn empty_chunk() {
    let chunk = lines_of("");
    assert_eq!(
        chunk,
        Chunk { body: Block { stats: vec![], ret: None }, end_line: 1, last_token_line: 1, too_many_locals: None }
    );
    assert_eq!(lines_of("-- nothing\n\n").end_line, 3);
    assert_eq!(lines_of("-- nothing\n\n").last_token_line, 1, "no token: the first line");
    assert_eq!(lines_of("x = [[a\nb]]\n\n").last_token_line, 2, "where the last token ends");
}
