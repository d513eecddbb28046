-- Lexer: short strings with every escape sequence, long strings and long comments with
-- levels. Only the base library is used: escapes are checked through length, equality
-- with decimal escapes and printing of printable results.

-- simple escapes, each compared with its decimal code
print("\a" == "\7", "\b" == "\8", "\f" == "\12", "\n" == "\10")  -- expect: true\ttrue\ttrue\ttrue
print("\r" == "\13", "\t" == "\9", "\v" == "\11")  -- expect: true\ttrue\ttrue
print("\\" == "\92", "\"" == "\34", "\'" == "\39", '\"' == '"')  -- expect: true\ttrue\ttrue\ttrue
print(#"\a\b\f\n\r\t\v\\\"\'")  -- expect: 10
print("tab:\tend")  -- expect: tab:\tend
print("q: \" ' \\")  -- expect: q: " ' \

-- backslash-newline is a newline
local nl = "a\
b"
print(#nl, nl == "a\nb")  -- expect: 3\ttrue

-- decimal escapes: up to three digits
print("\65\066\0671", #"\0", #"\00", #"\000", #"\0000")  -- expect: ABC1\t1\t1\t1\t2
print("\255" == "\xff", #"\255")  -- expect: true\t1

-- hexadecimal escapes: exactly two digits, either case
print("\x41\x62\x7A", "\xfF" == "\255", #"\x00\x01")  -- expect: Abz\ttrue\t2

-- \z skips the following whitespace, including newlines
local z = "one\z
           two\z     three"
print(z)  -- expect: onetwothree
print(#"a\z  
  
  b")  -- expect: 2

-- \u{XXXX}: UTF-8 encoding, up to 2^31 - 1 (the old 6-byte forms)
print("\u{48}\u{49}", "\u{E9}" == "\xC3\xA9", "\u{20AC}" == "\xE2\x82\xAC")  -- expect: HI\ttrue\ttrue
print(#"\u{0}", #"\u{7F}", #"\u{80}", #"\u{7FF}", #"\u{800}", #"\u{FFFF}")  -- expect: 1\t1\t2\t2\t3\t3
print(#"\u{10000}", #"\u{10FFFF}", #"\u{1FFFFF}", #"\u{200000}", #"\u{3FFFFFF}", #"\u{4000000}", #"\u{7FFFFFFF}")  -- expect: 4\t4\t4\t5\t5\t6\t6
print("\u{10FFFF}" == "\xF4\x8F\xBF\xBF", "\u{7FFFFFFF}" == "\xFD\xBF\xBF\xBF\xBF\xBF")  -- expect: true\ttrue
print("\u{0000000041}")  -- expect: A

-- strings may contain embedded zeros and compare by content
local zs = "a\0b"
print(#zs, zs == "a\0b", zs == "a\0c", zs < "a\0c")  -- expect: 3\ttrue\tfalse\ttrue

-- long strings: the first newline is skipped, nothing inside is interpreted
local l1 = [[
line1
line2]]
print(#l1, l1 == "line1\nline2")  -- expect: 11\ttrue
print([[no \n escapes \x41 here]])  -- expect: no \n escapes \x41 here
print([==[contains ]] and ]=] but not the closer]==])  -- expect: contains ]] and ]=] but not the closer
print([=[
]=] == "", [[]] == "", #[[

]])  -- expect: true\ttrue\t1
local lvl4 = [====[a]===]b]====]
print(lvl4)  -- expect: a]===]b

-- carriage returns and CR LF pairs in long strings become a single "\n"
local crlf = load("return [[a\r\nb\n\rc\rd]]")()
print(#crlf, crlf == "a\nb\nc\nd")  -- expect: 7\ttrue

--[[ a long comment
print("not run")
]]
--[==[ a long comment with level 2 containing ]] and ]=]
print("not run either")
]==]
print("after comments")  -- expect: after comments
--[ this is only a line comment because of the space
print("line comment ended")  -- expect: line comment ended
---[[ this is a line comment too, so the next line runs
print("runs")  -- expect: runs
--]]

-- adjacent strings, call without parentheses
print "call with a string literal"  -- expect: call with a string literal
print [[call with a long string]]  -- expect: call with a long string

-- lexer errors inside strings (through load)
print(load("return 'abc"))  -- expect: nil\t[string "return 'abc"]:1: unfinished string near <eof>
print(load("return 'ab\ncd'"))  -- expect: nil\t[string "return 'ab..."]:1: unfinished string near ''ab'
print(load("return '\\q'"))  -- expect: nil\t[string "return '\q'"]:1: invalid escape sequence near ''\q'
print(load("return '\\256'"))  -- expect: nil\t[string "return '\256'"]:1: decimal escape too large near ''\256''
print(load("return '\\xZZ'"))  -- expect: nil\t[string "return '\xZZ'"]:1: hexadecimal digit expected near ''\xZ'
print(load("return '\\x5'"))  -- expect: nil\t[string "return '\x5'"]:1: hexadecimal digit expected near ''\x5''
print(load("return '\\u{80000000}'"))  -- expect: nil\t[string "return '\u{80000000}'"]:1: UTF-8 value too large near ''\u{80000000'
print(load("return '\\u123'"))  -- expect: nil\t[string "return '\u123'"]:1: missing '{' near ''\u1'
print(load("return '\\u{12'"))  -- expect: nil\t[string "return '\u{12'"]:1: missing '}' near ''\u{12''
print(load("return '\\u{}'"))  -- expect: nil\t[string "return '\u{}'"]:1: hexadecimal digit expected near ''\u{}'
print(load("return [[abc"))  -- expect: nil\t[string "return [[abc"]:1: unfinished long string (starting at line 1) near <eof>
print(load("return [==[abc]=]"))  -- expect: nil\t[string "return [==[abc]=]"]:1: unfinished long string (starting at line 1) near <eof>
print(load("return [=abc"))  -- expect: nil\t[string "return [=abc"]:1: invalid long string delimiter near '[='
print(load("x = 1 --[[ unfinished comment"))  -- expect: nil\t[string "x = 1 --[[ unfinished comment"]:1: unfinished long comment (starting at line 1) near <eof>
print(load("x = 1 @ 2"))  -- expect: nil\t[string "x = 1 @ 2"]:1: unexpected symbol near '@'
