-- Parser errors reported by load: message format `[string "SOURCE"]:LINE: MESSAGE near TOKEN`,
-- chunk names given to load, and the nesting limits of the parser.

print(load("x = = 1"))  -- expect: nil\t[string "x = = 1"]:1: unexpected symbol near '='
print(load("x = }"))  -- expect: nil\t[string "x = }"]:1: unexpected symbol near '}'
print(load("x"))  -- expect: nil\t[string "x"]:1: syntax error near <eof>
print(load("f("))  -- expect: nil\t[string "f("]:1: unexpected symbol near <eof>
print(load("(f)() = 1"))  -- expect: nil\t[string "(f)() = 1"]:1: syntax error near '='
print(load("return 1 x"))  -- expect: nil\t[string "return 1 x"]:1: <eof> expected near 'x'
print(load("x = function() end end"))  -- expect: nil\t[string "x = function() end end"]:1: <eof> expected near 'end'

-- missing closers name the opening token and its line when it is on another line
print(load("if x then"))  -- expect: nil\t[string "if x then"]:1: 'end' expected near <eof>
print(load("if x then\n\n\nelse"))  -- expect: nil\t[string "if x then..."]:4: 'end' expected (to close 'if' at line 1) near <eof>
print(load("while true do\n  x = 1\n"))  -- expect: nil\t[string "while true do..."]:3: 'end' expected (to close 'while' at line 1) near <eof>
print(load("repeat x = 1"))  -- expect: nil\t[string "repeat x = 1"]:1: 'until' expected near <eof>
print(load("local t = {1 2}"))  -- expect: nil\t[string "local t = {1 2}"]:1: '}' expected near '2'
print(load("local t = {\n1,\n2"))  -- expect: nil\t[string "local t = {..."]:3: '}' expected (to close '{' at line 1) near <eof>
print(load("f(1,\n2"))  -- expect: nil\t[string "f(1,..."]:2: ')' expected (to close '(' at line 1) near <eof>
print(load("x = (1 + 2"))  -- expect: nil\t[string "x = (1 + 2"]:1: ')' expected near <eof>

-- expected tokens
print(load("function f("))  -- expect: nil\t[string "function f("]:1: <name> or '...' expected near <eof>
print(load("local function (a) end"))  -- expect: nil\t[string "local function (a) end"]:1: <name> expected near '('
print(load("local 1 = 2"))  -- expect: nil\t[string "local 1 = 2"]:1: <name> expected near '1'
print(load("for i 1, 2 do end"))  -- expect: nil\t[string "for i 1, 2 do end"]:1: '=' or 'in' expected near '1'
print(load("for i = 1 do end"))  -- expect: nil\t[string "for i = 1 do end"]:1: ',' expected near 'do'
print(load("for a, b = 1, 2 do end"))  -- expect: nil\t[string "for a, b = 1, 2 do end"]:1: 'in' expected near '='
print(load("a.b:c = 1"))  -- expect: nil\t[string "a.b:c = 1"]:1: function arguments expected near '='
print(load("x = a.1"))  -- expect: nil\t[string "x = a.1"]:1: unexpected symbol near '.1'
print(load("function f() return ... end"))  -- expect: nil\t[string "function f() return ... end"]:1: cannot use '...' outside a vararg function near '...'

-- goto, labels and break
print(load("goto l"))  -- expect: nil\t[string "goto l"]:1: no visible label 'l' for <goto> at line 1
print(load("::a:: ::a::"))  -- expect: nil\t[string "::a:: ::a::"]:1: label 'a' already defined on line 1
print(load("::a::\ndo ::a:: end"))  -- expect: nil\t[string "::a::..."]:2: label 'a' already defined on line 1
print(load("break"))  -- expect: nil\t[string "break"]:1: break outside a loop at line 1
print(load("do goto f; local x; ::f:: print(x) end"))  -- expect: nil\t[string "do goto f; local x; ::f:: print(x) end"]:1: <goto f> at line 1 jumps into the scope of local 'x'
print(load("if x then break end"))  -- expect: nil\t[string "if x then break end"]:1: break outside a loop at line 1

-- attributes
print(load("local x <const> = 1; x = 2"))  -- expect: nil\t[string "local x <const> = 1; x = 2"]:1: attempt to assign to const variable 'x'
print(load("local x <foo> = 1"))  -- expect: nil\t[string "local x <foo> = 1"]:1: unknown attribute 'foo'
print(load("local a <close>, b <close> = 1, 2"))  -- expect: nil\t[string "local a <close>, b <close> = 1, 2"]:1: multiple to-be-closed variables in local list
print(load("local x <const> = 1; local function f() x = 3 end"))  -- expect: nil\t[string "local x <const> = 1; local function f() x = 3..."]:1: attempt to assign to const variable 'x'

-- nesting limits: 150 levels of parentheses or blocks are fine, 300 are too many for the
-- parser (lua5.4 reports "C stack overflow"; the exact text is checked in wishlist/)
local ok = "return "
for i = 1, 150 do ok = ok .. "(" end
ok = ok .. "7"
for i = 1, 150 do ok = ok .. ")" end
print(load(ok)())  -- expect: 7
local deep = "x = "
for i = 1, 300 do deep = deep .. "(" end
local f, msg = load(deep)
print(f, type(msg))  -- expect: nil\tstring
local blocks = ""
for i = 1, 300 do blocks = blocks .. "do " end
f, msg = load(blocks)
print(f, type(msg))  -- expect: nil\tstring
local many = ""
for i = 1, 201 do many = many .. "local v" .. i .. " " end
-- As Lua's parser, naming the token after the 201st declaration.
print(load(many))  -- expect: nil\t[string "local v1 local v2 local v3 local v4 local v5 ..."]:1: too many local variables (limit is 200) in main function near <eof>

-- chunk names: "=name" is used verbatim, "@file" is a file name, otherwise [string "..."]
print(load("x = = 1", "=mychunk"))  -- expect: nil\tmychunk:1: unexpected symbol near '='
print(load("x = = 1", "@some/file.lua"))  -- expect: nil\tsome/file.lua:1: unexpected symbol near '='
print(load("\n\nx = = 1", "the source"))  -- expect: nil\t[string "the source"]:3: unexpected symbol near '='
print(load("first line\nsecond line"))  -- expect: nil\t[string "first line..."]:1: syntax error near 'line'
print(load("x = 'a very long line of source code that goes on and on and on and on and on and on' x"))  -- expect: nil\t[string "x = 'a very long line of source code that goe..."]:1: syntax error near <eof>

-- load's mode argument
print(load("return 1", "chunk", "b"))  -- expect: nil\tattempt to load a text chunk (mode is 'b')
print(load("return 1", "chunk", "t")())  -- expect: 1

-- load from a reader function: pieces are concatenated until nil or ""
local pieces = {"return ", "1 ", "+ ", "41"}
local i = 0
print(load(function() i = i + 1; return pieces[i] end)())  -- expect: 42
-- an error raised by the reader makes load fail (lua5.4 5.4.4 appends its stand-alone
-- traceback to this message, so only the result types are checked)
f, msg = load(function() error("reader failed") end)
print(f, type(msg))  -- expect: nil\tstring

-- load with an environment table
local env = {y = 5}
print(load("x = y * 2; return x", "envchunk", "t", env)(), env.x, x)  -- expect: 10\t10\tnil

-- a '#' first line is skipped only in files: text given to load is parsed as is
print(load("#=1"))  -- expect: nil\t[string "#=1"]:1: unexpected symbol near '#'
