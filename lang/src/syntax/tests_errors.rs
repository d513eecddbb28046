//! Syntax errors: messages as the reference `lua5.4` prints them for `load(src, "=src")`,
//! the `incomplete` flag, and the nesting limits.

use super::parse;

fn error(src: &str) -> crate::error::SyntaxError {
    match parse(src.as_bytes(), "=src") {
        Ok(chunk) => panic!("{src:?} should not parse, got {chunk:?}"),
        Err(e) => e,
    }
}

/// (source, message as printed by lua5.4 5.4.x)
const LUA_MESSAGES: &[(&str, &str)] = &[
    ("x y", "src:1: syntax error near 'y'"),
    ("x.y", "src:1: syntax error near <eof>"),
    ("(x) = 1", "src:1: syntax error near '='"),
    ("f() = 1", "src:1: syntax error near '='"),
    ("x, y() = 1", "src:1: syntax error near '='"),
    ("x, (y) = 1", "src:1: syntax error near '='"),
    ("x ==  1", "src:1: syntax error near '=='"),
    ("x = 3 x", "src:1: syntax error near <eof>"),
    ("a.1", "src:1: syntax error near '.1'"),
    ("f.g.h", "src:1: syntax error near <eof>"),
    ("x = 'a' .. 'b' f", "src:1: syntax error near <eof>"),
    ("x = ", "src:1: unexpected symbol near <eof>"),
    ("x = \n\n", "src:3: unexpected symbol near <eof>"),
    ("x = @", "src:1: unexpected symbol near '@'"),
    ("x = \x01", "src:1: unexpected symbol near '<\\1>'"),
    ("x = 1 + + 2", "src:1: unexpected symbol near '+'"),
    ("x = a.b.c = 1", "src:1: unexpected symbol near '='"),
    ("x = {,}", "src:1: unexpected symbol near ','"),
    ("f{x = }", "src:1: unexpected symbol near '}'"),
    ("x = }", "src:1: unexpected symbol near '}'"),
    ("x = ]", "src:1: unexpected symbol near ']'"),
    ("{x y}", "src:1: unexpected symbol near '{'"),
    ("break = 1", "src:1: unexpected symbol near '='"),
    ("return return", "src:1: unexpected symbol near 'return'"),
    ("f(", "src:1: unexpected symbol near <eof>"),
    ("f(\n", "src:2: unexpected symbol near <eof>"),
    ("x = 1 .. ", "src:1: unexpected symbol near <eof>"),
    ("return 1,", "src:1: unexpected symbol near <eof>"),
    ("x = #", "src:1: unexpected symbol near <eof>"),
    ("x = =", "src:1: unexpected symbol near '='"),
    ("x = a ~= = b", "src:1: unexpected symbol near '='"),
    ("local x = 'abc' 'def'", "src:1: unexpected symbol near ''def''"),
    ("x = [[a]] [=[b\r\nc]=] 1", "src:2: unexpected symbol near '[=[b\nc]=]'"),
    ("x = \"a\\z   \n  b\" \"c\" 2", "src:2: unexpected symbol near '\"c\"'"),
    ("function f()\n x = 1", "src:2: 'end' expected (to close 'function' at line 1) near <eof>"),
    ("function f() x = 1", "src:1: 'end' expected near <eof>"),
    ("while x do", "src:1: 'end' expected near <eof>"),
    ("while x\n do", "src:2: 'end' expected (to close 'while' at line 1) near <eof>"),
    ("if x then else until", "src:1: 'end' expected near 'until'"),
    ("do else", "src:1: 'end' expected near 'else'"),
    ("repeat x = 1 end", "src:1: 'until' expected near 'end'"),
    ("repeat\n x=1 end", "src:2: 'until' expected (to close 'repeat' at line 1) near 'end'"),
    ("return 1 end", "src:1: <eof> expected near 'end'"),
    ("return 1;;", "src:1: <eof> expected near ';'"),
    ("return 1; x = 1", "src:1: <eof> expected near 'x'"),
    ("return ...x", "src:1: <eof> expected near 'x'"),
    ("if x y", "src:1: 'then' expected near 'y'"),
    ("while x y", "src:1: 'do' expected near 'y'"),
    ("for i = 1, 2 x", "src:1: 'do' expected near 'x'"),
    ("for i in x y", "src:1: 'do' expected near 'y'"),
    ("for x = 1 2", "src:1: ',' expected near '2'"),
    ("for x, y = 1", "src:1: 'in' expected near '='"),
    ("for x y", "src:1: '=' or 'in' expected near 'y'"),
    ("f(a b", "src:1: ')' expected near 'b'"),
    ("f(a\nb", "src:2: ')' expected (to close '(' at line 1) near 'b'"),
    ("x = (a\n b", "src:2: ')' expected (to close '(' at line 1) near 'b'"),
    ("x = f(1,\n 2", "src:2: ')' expected (to close '(' at line 1) near <eof>"),
    ("x = {1 2}", "src:1: '}' expected near '2'"),
    ("x = {x\n y}", "src:2: '}' expected (to close '{' at line 1) near 'y'"),
    ("x = a[1", "src:1: ']' expected near <eof>"),
    ("x = a[1\n", "src:2: ']' expected near <eof>"),
    ("local t = {[1] 2}", "src:1: '=' expected near '2'"),
    ("::a", "src:1: '::' expected near <eof>"),
    ("::a::\n::a", "src:2: '::' expected near <eof>"),
    ("local x <const", "src:1: '>' expected near <eof>"),
    ("x = function", "src:1: '(' expected near <eof>"),
    ("function f", "src:1: '(' expected near <eof>"),
    ("function a.b:c.d() end", "src:1: '(' expected near '.'"),
    ("function f(a", "src:1: ')' expected near <eof>"),
    ("local function f(a, ..., b) end", "src:1: ')' expected near ','"),
    ("local 1", "src:1: <name> expected near '1'"),
    ("local", "src:1: <name> expected near <eof>"),
    ("local function", "src:1: <name> expected near <eof>"),
    ("local function 1", "src:1: <name> expected near '1'"),
    ("local x, = 1", "src:1: <name> expected near '='"),
    ("function", "src:1: <name> expected near <eof>"),
    ("function a:() end", "src:1: <name> expected near '('"),
    ("for 1", "src:1: <name> expected near '1'"),
    ("goto 1", "src:1: <name> expected near '1'"),
    ("goto = 1", "src:1: <name> expected near '='"),
    ("::a:: ::", "src:1: <name> expected near <eof>"),
    ("f:", "src:1: <name> expected near <eof>"),
    ("function f(", "src:1: <name> or '...' expected near <eof>"),
    ("function f(a,", "src:1: <name> or '...' expected near <eof>"),
    ("local function f(a, 1) end", "src:1: <name> or '...' expected near '1'"),
    ("x = a:b", "src:1: function arguments expected near <eof>"),
    ("x = a:b.c", "src:1: function arguments expected near '.'"),
    ("f:g", "src:1: function arguments expected near <eof>"),
    ("local x <foo> = 1", "src:1: unknown attribute 'foo'"),
    ("local x <\nfoo>\n= 1", "src:2: unknown attribute 'foo'"),
    ("x = \"abc\\\n\\q\"", "src:2: invalid escape sequence near '\"abc\n\\q'"),
    ("f(\n1,\n2\n", "src:4: ')' expected (to close '(' at line 1) near <eof>"),
    ("x = [[\nabc\n]] y", "src:3: syntax error near <eof>"),
    ("a = 1\n\n\n b c", "src:4: syntax error near 'c'"),
    ("for i = 1, 2 do\n x = 1\n", "src:3: 'end' expected (to close 'for' at line 1) near <eof>"),
    ("x = 1 .. \n [[\n\n]]\n\n)", "src:6: unexpected symbol near ')'"),
    ("repeat until z ,", "src:1: unexpected symbol near ','"),
    ("repeat until z == nil , do", "src:1: unexpected symbol near ','"),
    ("local x = 1 )", "src:1: unexpected symbol near ')'"),
    ("local function f() end x", "src:1: syntax error near <eof>"),
    ("x, y z", "src:1: '=' expected near 'z'"),
    ("x, y", "src:1: '=' expected near <eof>"),
    ("x, y.z[1]", "src:1: '=' expected near <eof>"),
    ("x,", "src:1: unexpected symbol near <eof>"),
    ("local a = 1, 2\nx y", "src:2: syntax error near 'y'"),
    ("for i = 1, 2 do p", "src:1: syntax error near <eof>"),
    ("if x then return y = 1 end", "src:1: 'end' expected near '='"),
    ("if x then\n return f\n return", "src:3: 'end' expected (to close 'if' at line 1) near 'return'"),
    ("f(a, b\n return a", "src:2: ')' expected (to close '(' at line 1) near 'return'"),
    ("x = function(a, b\n return a", "src:2: ')' expected near 'return'"),
    ("x = 1 ( + 2", "src:1: unexpected symbol near '+'"),
    ("x = {} ( function t.a", "src:1: '(' expected near 't'"),
];

#[test]
fn messages_match_lua() {
    let mut wrong = Vec::new();
    for &(src, message) in LUA_MESSAGES {
        let got = error(src).to_string();
        if got != message {
            wrong.push(format!("{src:?}\n   lua: {message}\n   got: {got}"));
        }
    }
    assert!(wrong.is_empty(), "{} of {} messages differ:\n{}", wrong.len(), LUA_MESSAGES.len(), wrong.join("\n"));
}

#[test]
fn chunk_names_follow_chunk_id() {
    assert_eq!(error("x = ").chunk, "src");
    let e = parse(b"x = ", "@dir/file.lua").unwrap_err();
    assert_eq!(e.to_string(), "dir/file.lua:1: unexpected symbol near <eof>");
    let e = parse(b"x = ", "x = ").unwrap_err();
    assert_eq!(e.to_string(), "[string \"x = \"]:1: unexpected symbol near <eof>");
}

#[test]
fn incomplete_exactly_at_end_of_input() {
    let incomplete = [
        "x = ",
        "f(",
        "function f()\n x = 1",
        "if x then",
        "x = {1, 2",
        "for i = 1, 2 do",
        "local t = [[abc",
        "--[[ comment",
        "return",
        "repeat",
        "x = \"abc\\",
        "f(a,\n",
        "local",
    ];
    for src in incomplete {
        if src == "return" {
            assert!(parse(src.as_bytes(), "=src").is_ok());
            continue;
        }
        let e = error(src);
        assert!(e.incomplete, "{src:?} should be incomplete: {e}");
    }
    let complete =
        ["x y", "x = \"abc", "x = \"abc\ny", "return 1 end", "x = }", "x = 3x", "local x <foo>", "x = [=", "x = '\\q'"];
    for src in complete {
        let e = error(src);
        assert!(!e.incomplete, "{src:?} should not be incomplete: {e}");
    }
}

/// Lua's errors.lua `testrep`: 100 levels parse, 500 levels fail with "too many" or
/// "overflow" — the latter on unfinished input, so depth must be found while streaming.
#[test]
fn nesting_limits_as_in_lua_tests() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("local a; a", ",a", "= 1", ",1"),
        ("local a; a=", "{", "0", "}"),
        ("return ", "(", "2", ")"),
        ("local function a (x) return x end; return ", "a(", "2.2", ")"),
        ("", "do ", "", " end"),
        ("", "while a do ", "", " end"),
        ("local a; ", "if a then else ", "", " end"),
        ("", "function foo () ", "", " end"),
        ("local a = ''; return ", "a..", "'a'", ""),
        ("local a = 1; return ", "a^", "a", ""),
        ("return ", "not ", "a", ""),
        ("return ", "- ", "a", ""),
        ("x = ", "{[", "1", "]=1}"),
    ];
    for &(init, rep, close, repc) in cases {
        let ok = format!("{init}{}{close}{}", rep.repeat(100), repc.repeat(100));
        if let Err(e) = parse(ok.as_bytes(), "=src") {
            panic!("100 levels of {rep:?} should parse: {e}");
        }
        let deep = format!("{init}{}", rep.repeat(500));
        let e = error(&deep);
        assert!(e.message.contains("too many"), "500 levels of {rep:?}: {e}");
        let deep_closed = format!("{init}{}{close}{}", rep.repeat(500), repc.repeat(500));
        let e = error(&deep_closed);
        assert!(e.message.contains("too many"), "500 closed levels of {rep:?}: {e}");
    }
}

#[test]
fn long_left_associative_chains_are_limited_by_height() {
    // Lua parses these with a loop, so they add no nesting levels: 300 links are fine (Lua
    // accepts them too). The tree's height is still bounded so recursive walks stay safe.
    for rep in ["+a", ".a", "[1]", "()", ":m()"] {
        let src = format!("return a{}", rep.repeat(100_000));
        let e = error(&src);
        assert!(e.message.contains("too many"), "{rep:?}: {e}");
        let src = format!("return a{}", rep.repeat(300));
        assert!(parse(src.as_bytes(), "=src").is_ok(), "300 of {rep:?}");
    }
    // Nested chains add up in height: ((a+a+...)+a+...)...
    let inner = format!("a{}", "+a".repeat(600));
    let src = format!("return ({inner}){}", "+a".repeat(600));
    assert!(error(&src).message.contains("too many"));
}

#[test]
fn a_million_levels_fail_fast() {
    let start = std::time::Instant::now();
    for src in [
        "return ".to_string() + &"(".repeat(1_000_000),
        "x = ".to_string() + &"{".repeat(1_000_000),
        "return ".to_string() + &"a..".repeat(1_000_000),
        "do ".repeat(1_000_000),
    ] {
        let e = error(&src);
        assert!(e.message.contains("too many"), "{e}");
    }
    let e = error(&format!("x = {}", "a+".repeat(1_000_000)));
    assert!(e.message.contains("too many"), "{e}");
    // Generous bound: this guards against quadratic behaviour, not a benchmark.
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

#[test]
fn long_flat_inputs_are_fine() {
    let many_statements = "x = x + 1\n".repeat(20_000);
    let chunk = parse(many_statements.as_bytes(), "=src").unwrap();
    assert_eq!(chunk.body.stats.len(), 20_000);
    let big_table = format!("return {{{}}}", "1, ".repeat(20_000));
    assert!(parse(big_table.as_bytes(), "=src").is_ok());
    let chained_ifs = format!("if a then {} end", "elseif a then ".repeat(5_000));
    assert!(parse(chained_ifs.as_bytes(), "=src").is_ok());
}

#[test]
fn trees_near_the_limit_survive_recursive_walks() {
    // Derived Clone, PartialEq, Debug and Drop recurse on the tree; at the deepest tree the
    // parser builds they must fit a test thread's stack.
    let mixed = "f(function() return {(a .. ".repeat(30) + "1" + &")}end)".repeat(30);
    let deep_sources = [
        format!("return {}1{}", "(".repeat(190), ")".repeat(190)),
        format!("x = {}", mixed),
        format!("return a{}", ".b".repeat(190)),
        format!("{}{}", "do ".repeat(190), " end".repeat(190)),
    ];
    for src in deep_sources {
        let chunk = parse(src.as_bytes(), "=src").unwrap_or_else(|e| panic!("{e}"));
        let copy = chunk.clone();
        assert_eq!(copy, chunk);
        assert!(!format!("{chunk:?}").is_empty());
    }
}
