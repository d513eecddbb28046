-- Reading formats: "n" follows Lua's numeral scanner (hex, exponents, 200-byte limit, the
-- stop byte stays unread), "l", "L", "a", counts, 0 as an end-of-file test, several formats
-- at once, and failure stopping the rest. Expected values from lua5.4 (5.4.4).

local name = os.tmpname()
local function with(content, ...)
  local f = io.open(name, "w") f:write(content) f:close()
  f = io.open(name)
  local r = table.pack(f:read(...))
  local rest = f:read("a")
  f:close()
  for i = 1, r.n do r[i] = tostring(r[i]) end
  return table.concat(r, ",", 1, r.n) .. "|" .. rest
end
print(with("  0x1p4 rest", "n"))  -- expect: 16.0| rest
print(with("  -.5e+3x", "n", "l"))  -- expect: -500.0,x|
print(with("inf", "n", "l"))  -- expect: nil|inf
print(with("nan", "n"))  -- expect: nil|nan
print(with("1e", "n", "l"))  -- expect: nil|
print(with("0x", "n", "l"))  -- expect: nil|
print(with("00012 0x10 -0 +7", "n", "n", "n", "n"))  -- expect: 12,16,0,7|
print(with(".e5", "n", "l"))  -- expect: nil|e5
print(with("5.", "n"))  -- expect: 5.0|
print(with(".5", "n"))  -- expect: 0.5|
print(with("0x.8p1", "n"))  -- expect: 1.0|
print(with("0xAbC", "n"))  -- expect: 2748|
print(with("1e+ 5", "n", "l"))  -- expect: nil| 5
print(with("12abc", "n", "l"))  -- expect: 12,abc|
print(with("9223372036854775807 9223372036854775808", "n", "n"))  -- expect: 9223372036854775807,9.2233720368548e+18|
print(with("0x7fffffffffffffff 0xffffffffffffffff", "n", "n"))  -- expect: 9223372036854775807,-1|
print(with("\n\t 42\n", "n", "l", "l"))  -- expect: 42,,nil|
print(with("", "n"))  -- expect: nil|
print(with("- 1", "n", "l"))  -- expect: nil| 1
print(with("--1", "n", "l"))  -- expect: nil|-1
print(with("10000000000x", "n", "l"))  -- expect: 10000000000,x|
local long = {}
for i = 1, 199 do long[i] = "1" end
print(with(table.concat(long), "n"))  -- expect: 1.1111111111111e+198|
long[200] = "1"
print(with(table.concat(long), "n", "l"))  -- expect: 1.1111111111111e+199,nil|

print(with("a\nb\n\nc", "l", "l", "l", "l", "l"))  -- expect: a,b,,c,nil|
print(with("a\nb", "L", "L", "L") == "a\n,b,nil|")  -- expect: true
print(with("abc", 1, 0, 5, 0, 1))  -- expect: a,,bc,nil|
print(with("", 0))  -- expect: nil|
print(with("", "a", "a", "l"))  -- expect: ,,nil|
print(with("xyz", "a", 0, "a"))  -- expect: xyz,nil|
print(with("line\n", "l", "l", "a"))  -- expect: line,nil|
print(with("line", "l"))  -- expect: line|
print(with("abc\ndef", "*L", "*a") == "abc\n,def|")  -- expect: true
print(with("one\r\ntwo", "l", "l") == "one\r,two|")  -- expect: true
print(with("no newline"))  -- expect: no newline|
print(with("\0a\0\nb", "l", "l") == "\0a\0,b,nil|")  -- expect: false
print(pcall(with, "x", "z"))  -- expect: false\tio_read.lua:9: bad argument #1 to 'read' (invalid format)
print(pcall(with, "x", "l", "*"))  -- expect: false\tio_read.lua:9: bad argument #2 to 'read' (invalid format)
print(pcall(with, "x", ""))  -- expect: false\tio_read.lua:9: bad argument #1 to 'read' (invalid format)
os.remove(name)
