-- Varargs and multiple results: select('#') and negative indices, '...' in table
-- constructors, calls and returns, truncation to one value in the middle of a list or in
-- parentheses, nil holes, and adjustment of results to the number of targets.

local function count(...) return select("#", ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))  -- expect: 0\t1\t2\t4

local function pack(...) return {n = select("#", ...), ...} end
local p = pack(1, nil, 3, nil)
print(p.n, p[1], p[2], p[3], p[4])  -- expect: 4\t1\tnil\t3\tnil

print(select(2, "a", "b", "c"))  -- expect: b\tc
print(select(-1, "a", "b", "c"))  -- expect: c
print(select(-3, "a", "b", "c"))  -- expect: a\tb\tc
print(select(4, "a", "b", "c"))  -- expect:
print(select("2", "a", "b"))  -- expect: b
print(pcall(select, -4, "a", "b", "c"))  -- expect: false\tbad argument #1 to 'select' (index out of range)
print(pcall(select, 0, "a"))  -- expect: false\tbad argument #1 to 'select' (index out of range)
print(pcall(select, "x"))  -- expect: false\tbad argument #1 to 'select' (number expected, got string)

-- only the last expression in a list expands to all its values
local function three() return 1, 2, 3 end
print(three(), three())  -- expect: 1\t1\t2\t3
print((three()))  -- expect: 1
print(three(), "end")  -- expect: 1\tend
local t = {three(), three()}
print(#t, t[1], t[2], t[4])  -- expect: 4\t1\t1\t3
t = {three(), (three())}
print(#t)  -- expect: 2
t = {three(), nil}
print(#t)  -- expect: 1

-- ... in the main function of a loaded chunk and in nested functions
local chunk = load("local a, b = ...; return b, a, select('#', ...)")
print(chunk("x", "y", "z"))  -- expect: y\tx\t3
local function outer(...)
  local function inner(...) return ... end
  return inner(..., "last"), inner(...)
end
print(outer(1, 2))  -- expect: 1\t1\t2
local function first_two(...)
  local a, b = ...
  return a, b
end
print(first_two(), first_two(9), first_two(9, 8, 7))  -- expect: nil\t9\t9\t8

-- adjusting results to targets
local a, b, c = three()
print(a, b, c)  -- expect: 1\t2\t3
a, b, c = 0, three()
print(a, b, c)  -- expect: 0\t1\t2
a, b, c = three(), 10
print(a, b, c)  -- expect: 1\t10\tnil
local x, y = (three())
print(x, y)  -- expect: 1\tnil

-- varargs passed through return and tail calls keep their nils
local function passthrough(...) return ... end
print(passthrough(nil, nil, 3))  -- expect: nil\tnil\t3
print(count(passthrough(nil, nil)))  -- expect: 2
local function tail(...) return passthrough(...) end
print(count(tail(1, nil, nil)))  -- expect: 3

-- many values
local function many(n, ...)
  if n == 0 then return ... end
  return many(n - 1, n, ...)
end
print(count(many(200)))  -- expect: 200
print(select(200, many(200)), select(-1, many(200)))  -- expect: 200\t200
local big = {many(250)}
print(#big, big[1], big[250])  -- expect: 250\t1\t250
