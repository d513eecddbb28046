-- string.gsub (string, table and function replacements, %0-%9 and %%, max n, anchors,
-- empty matches) and string.gmatch (captures, init, empty matches, anchors).

print(("hello"):gsub("l", "L"), ("abc"):gsub("%w", "%0%0"), ("x y z"):gsub("%s", "", 1))  -- expect: heLLo\taabbcc\txy z\t1
print(("abc"):reverse(), #("abc"):rep(1000), ("a,b,,c"):gsub(",", ";"))  -- expect: cba\t3000\ta;b;;c\t3
print(("hello world"):gsub("o", "0", 0), ("hello world"):gsub("o", "0", -1), ("hello world"):gsub("o", "0", 1.0))  -- expect: hello world\thello world\thell0 world\t1
print(("hello"):gsub("", "-"), ("abc"):gsub(".-", "-"), ("abc"):gsub("x*", "-"), (""):gsub("", "x"))  -- expect: -h-e-l-l-o-\t-a-b-c-\t-a-b-c-\tx\t1
print(("abc"):gsub("^", ">"), ("abc"):gsub("$", "<"), ("abc"):gsub("^a", "A"), ("aaa"):gsub("^a", "A"))  -- expect: >abc\tabc<\tAbc\tAaa\t1
print(("hello world"):gsub("(%w+)", "<%1>"), ("hello world"):gsub("(%w+) (%w+)", "%2 %1"))  -- expect: <hello> <world>\tworld hello\t1
print(("abc"):gsub("", ""), ("abc"):gsub("b", "%%"), ("abc"):gsub("b", "%0%0%0"), ("abc"):gsub("(b)", "%1%1"))  -- expect: abc\ta%c\tabbbc\tabbc\t1
print(("abc"):gsub("b", "%1"), ("abc"):gsub("()b", "%1"), ("abc"):gsub("b()", "[%1]"), ("a.b"):gsub("%.", "%%"))  -- expect: abc\ta2c\ta[3]c\ta%b\t1
print(("abc"):gsub("b", 5), ("abc"):gsub("b", 1.5), ("abc"):gsub(98, "x"), string.gsub(12321, 2, 0))  -- expect: a5c\ta1.5c\tabc\t10301\t2
print(string.gsub("abc", "b", "\0") == "a\0c", string.gsub("a\0c", "\0", "-"))  -- expect: true\ta-c\t1
print(("hello"):gsub("l+", function(m) return "<" .. m .. ">" end))  -- expect: he<ll>o\t1
print(("hello"):gsub(".", {h = "H", l = 1, o = false}))  -- expect: He11o\t5
print(("hello"):gsub("(.)(.)", function(a, b) return b .. a end))  -- expect: ehllo\t2
print(("a=1, b=2"):gsub("(%w+)=(%w+)", function(k, v) return v .. "=" .. k end))  -- expect: 1=a, 2=b\t2
print(("abc"):gsub("%w", function(c) if c == "b" then return nil end return c:upper() end))  -- expect: AbC\t3
print(("abc"):gsub("%w", function() return false end))  -- expect: abc\t3
print(("abc"):gsub("()", function(p) return p end))  -- expect: 1a2b3c4\t4
print(("abc"):gsub("(b)()", {b = "B"}))  -- expect: aBc\t1
print(("$name is $age"):gsub("%$(%w+)", {name = "Bob", age = 42}))  -- expect: Bob is 42\t2
print(("abc"):gsub("%w", setmetatable({}, {__index = function(_, k) return k .. k end})))  -- expect: aabbcc\t3
print(("x"):gsub("x", setmetatable({}, {__tostring = function() return "T" end}) and "%0!" or ""))  -- expect: x!\t1
print(("abc"):gsub("b", {b = 2.5}), ("abc"):gsub("b", {b = 10}))  -- expect: a2.5c\ta10c\t1
print(string.gsub("abc", "b", "x", 2^53))  -- expect: axc\t1
local count = 0
print(("aaaa"):gsub("a", function() count = count + 1; return count end, 3), count)  -- expect: 123a\t3

-- errors
print(pcall(string.gsub, "abc", "b"))  -- expect: false\tbad argument #3 to 'string.gsub' (string/function/table expected, got no value)
print(pcall(string.gsub, "abc", "b", true))  -- expect: false\tbad argument #3 to 'string.gsub' (string/function/table expected, got boolean)
print(pcall(string.gsub, "abc", "b", "x", "y"))  -- expect: false\tbad argument #4 to 'string.gsub' (number expected, got string)
print(pcall(string.gsub, "abc", "b", "x", 1.5))  -- expect: false\tbad argument #4 to 'string.gsub' (number has no integer representation)
print(pcall(string.gsub, "abc", "b", "%2"))  -- expect: false\tinvalid capture index %2
print(pcall(string.gsub, "abc", "(b)", "%2"))  -- expect: false\tinvalid capture index %2
print(pcall(string.gsub, "abc", "b", "%"))  -- expect: false\tinvalid use of '%' in replacement string
print(pcall(string.gsub, "abc", "b", "%x"))  -- expect: false\tinvalid use of '%' in replacement string
print(pcall(string.gsub, "abc", "b", {b = {}}))  -- expect: false\tinvalid replacement value (a table)
print(pcall(string.gsub, "abc", "b", {b = true}))  -- expect: false\tinvalid replacement value (a boolean)
print(pcall(string.gsub, "abc", "b", function() return print end))  -- expect: false\tinvalid replacement value (a function)
print(pcall(string.gsub, "abc", "b", function() error("boom") end))  -- expect: false\tstring_gsub.lua:42: boom
print(select("#", pcall(string.gsub, "abc", "b", function() error({}) end)))  -- expect: 2
print(pcall(string.gsub, "abc", "(b", "x"))  -- expect: true\taxc\t1
print(pcall(string.gsub, "abc", "(b", "%1"))  -- expect: false\tunfinished capture
print(pcall(string.gsub, "abc", "(b", function() end))  -- expect: false\tunfinished capture
print(pcall(string.gsub, "abc", "[b", "x"))  -- expect: false\tmalformed pattern (missing ']')

-- gmatch
local function cat(...) local r = "" for i = 1, select("#", ...) do r = r .. select(i, ...) end return r end
local out
local words = {}
for w in ("one two  three"):gmatch("%a+") do words[#words + 1] = w end
print(#words, words[1], words[3])  -- expect: 3\tone\tthree
out = ""
for k, v in ("a=1, b=2, c=3"):gmatch("(%w+)=(%w+)") do out = out .. cat(k, ":", v, " ") end
print(out)  -- expect: a:1 b:2 c:3 
out = ""
for p in ("abc"):gmatch("()") do out = out .. cat(p, " ") end
print(out)  -- expect: 1 2 3 4 
out = ""
for m in ("abc"):gmatch("") do out = out .. cat("[", m, "]") end
print(out)  -- expect: [][][][]
out = ""
for m in ("abc"):gmatch(".-") do out = out .. cat("[", m, "]") end
print(out)  -- expect: [][][][]
out = ""
for m in ("aXbXc"):gmatch("[^X]*") do out = out .. cat("[", m, "]") end
print(out)  -- expect: [a][b][c]
out = ""
for m in ("hello world from lua"):gmatch("%a+", 7) do out = out .. cat(m, ",") end
print(out)  -- expect: world,from,lua,
out = ""
for m in ("hello"):gmatch(".", -2) do out = out .. cat(m, ",") end
print(out)  -- expect: l,o,
out = ""
for m in ("hello"):gmatch(".", 10) do out = out .. cat(m, ",") end
print(out .. "|")  -- expect: |
out = ""
for m in ("hello"):gmatch("", 6) do out = out .. cat("[", m, "]") end
print(out .. "|")  -- expect: []|
out = ""
for m in ("hello"):gmatch("", 10) do out = out .. cat("[", m, "]") end
print(out .. "|")  -- expect: |
out = ""
for m in ("^a^b"):gmatch("^.") do out = out .. cat(m, ",") end
print(out)  -- expect: ^a,^b,
out = ""
for a, b in ("ab"):gmatch("()(.)") do out = out .. cat(a, b, " ") end
print(out)  -- expect: 1a 2b 
local it = ("a1b2"):gmatch("%d")
print(it(), it(), it(), it())  -- expect: 1\t2\tnil
print(pcall(string.gmatch, "abc"))  -- expect: false\tbad argument #2 to 'string.gmatch' (string expected, got no value)
print(pcall(string.gmatch("abc", "%"), nil))  -- expect: false\tmalformed pattern (ends with '%')
print(pcall(string.gmatch("abc", "(a"), nil))  -- expect: false\tunfinished capture
print(pcall(string.gmatch, "abc", ".", 1.5))  -- expect: false\tbad argument #3 to 'string.gmatch' (number has no integer representation)
-- gsub and gmatch across a collection: subject and pattern stay alive
local gen = ("x"):rep(50) .. "y"
local iter = gen:gmatch("(x+)(y)")
gen = nil
collectgarbage()
local xs, y = iter()
print(#xs, y)  -- expect: 50\ty
