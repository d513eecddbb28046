-- Arithmetic, bitwise, __unm, __bnot, __len and __concat metamethods: lookup in the first
-- operand then the second, operand order preserved, unary ones receiving the operand
-- twice, results not adjusted, and errors when no metamethod exists.

local mt = {}
local function V(name) return setmetatable({name = name}, mt) end
local function show(x) if type(x) == "table" then return x.name or "?" end return tostring(x) end
for _, ev in ipairs({"add", "sub", "mul", "div", "mod", "pow", "unm", "idiv",
                     "band", "bor", "bxor", "shl", "shr", "bnot", "concat"}) do
  mt["__" .. ev] = function(a, b) return ev .. "(" .. show(a) .. "," .. show(b) .. ")" end
end
local a, b = V("a"), V("b")

print(a + b, a - 1, 2 * a, a / b)  -- expect: add(a,b)\tsub(a,1)\tmul(2,a)\tdiv(a,b)
print(a % 3, 2 ^ a, a // b, -a)  -- expect: mod(a,3)\tpow(2,a)\tidiv(a,b)\tunm(a,a)
print(a & 1, 1 | a, a ~ b, a << 2, 3 >> a, ~a)  -- expect: band(a,1)\tbor(1,a)\tbxor(a,b)\tshl(a,2)\tshr(3,a)\tbnot(a,a)
print(a .. "s", "s" .. a, 1 .. a, a .. b)  -- expect: concat(a,s)\tconcat(s,a)\tconcat(1,a)\tconcat(a,b)
print("x" .. a .. "y")  -- expect: xconcat(a,y)
print(1.5 & a, "str" | a, 2^63 ~ a)  -- expect: band(1.5,a)\tbor(str,a)\tbxor(9.2233720368548e+18,a)

-- the first operand's metamethod wins; the second is tried if the first has none
local m1 = setmetatable({}, {__add = function() return "first" end})
local m2 = setmetatable({}, {__add = function() return "second" end})
print(m1 + m2, m2 + m1, 1 + m2, m1 + nil)  -- expect: first\tsecond\tsecond\tfirst

-- results are not adjusted: any value may come back
local weird = setmetatable({}, {__add = function() return nil end, __unm = function() return 1, 2 end,
                                 __len = function() return "long" end, __concat = function() return false end})
print(weird + 1, -weird, #weird, weird .. "x")  -- expect: nil\t1\tlong\tfalse

-- __len
local sized = setmetatable({1, 2, 3}, {__len = function(t) return 42 end})
print(#sized, rawlen(sized))  -- expect: 42\t3
local plain = setmetatable({1, 2}, {})
print(#plain)  -- expect: 2
print(pcall(function() local n = 5; return #n end))  -- expect: false\tmeta_arith.lua:36: attempt to get length of a number value (local 'n')
print(pcall(function() return #print end))  -- expect: false\tmeta_arith.lua:37: attempt to get length of a function value (global 'print')

-- a vector type
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({x = x, y = y}, Vec) end
Vec.__add = function(p, q) return vec(p.x + q.x, p.y + q.y) end
Vec.__mul = function(p, k)
  if type(p) == "number" then p, k = k, p end
  return vec(p.x * k, p.y * k)
end
Vec.__unm = function(p) return vec(-p.x, -p.y) end
Vec.__eq = function(p, q) return p.x == q.x and p.y == q.y end
Vec.__tostring = function(p) return "(" .. p.x .. "," .. p.y .. ")" end
Vec.__len = function(p) return p.x * p.x + p.y * p.y end
Vec.__concat = function(p, q) return tostring(p) .. tostring(q) end
local v1, v2 = vec(1, 2), vec(3, 4)
print(tostring(v1 + v2), tostring(v1 * 3), tostring(2 * v2), tostring(-v1))  -- expect: (4,6)\t(3,6)\t(6,8)\t(-1,-2)
print(v1 + v2 == vec(4, 6), #v2, v1 .. v2, v1 .. "!")  -- expect: true\t25\t(1,2)(3,4)\t(1,2)!

-- unary metamethods get the operand as both arguments
local seen
local u = setmetatable({}, {__unm = function(x, y) seen = rawequal(x, y) return "neg" end,
                            __bnot = function(x, y) seen = seen and rawequal(x, y) return "not" end})
print(-u, ~u, seen)  -- expect: neg\tnot\ttrue

-- a concatenation chain calls __concat from the right
local order = ""
local C = {}
C.__concat = function(x, y)
  order = order .. "[" .. show(x) .. "|" .. show(y) .. "]"
  return setmetatable({name = show(x) .. show(y)}, C)
end
local c1 = setmetatable({name = "c1"}, C)
local res = "a" .. c1 .. "b" .. "c"
print(res.name, order)  -- expect: ac1bc\t[c1|bc][a|c1bc]

-- errors without metamethods name the offending operand
local t = {}
print(pcall(function() return t + 1 end))  -- expect: false\tmeta_arith.lua:76: attempt to perform arithmetic on a table value (upvalue 't')
print(pcall(function() return 1 & t end))  -- expect: false\tmeta_arith.lua:77: attempt to perform bitwise operation on a table value (upvalue 't')
print(pcall(function() return t .. "x" end))  -- expect: false\tmeta_arith.lua:78: attempt to concatenate a table value (upvalue 't')
print(pcall(function() return -t end))  -- expect: false\tmeta_arith.lua:79: attempt to perform arithmetic on a table value (upvalue 't')
print(pcall(function() return ~t end))  -- expect: false\tmeta_arith.lua:80: attempt to perform bitwise operation on a table value (upvalue 't')
print(pcall(function() return 1.5 | 1 end))  -- expect: false\tmeta_arith.lua:81: number has no integer representation
print(pcall(function() return "1.5" | 1 end))  -- expect: false\tmeta_arith.lua:82: attempt to perform bitwise operation on a string value (constant '1.5')
