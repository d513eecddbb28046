-- Comparison metamethods: __eq only for two tables (or two userdata) that are not raw
-- equal, results converted to booleans, ~= as not __eq, __lt and __le with swapped
-- operands for > and >=, mixed operand types.
-- (Whether __le falls back to not __lt(b, a) depends on LUA_COMPAT_LT_LE, so it is not tested.)

local calls = 0
local E = {__eq = function(x, y) calls = calls + 1; return x.v == y.v end}
local e1 = setmetatable({v = 1}, E)
local e2 = setmetatable({v = 1}, E)
local e3 = setmetatable({v = 2}, E)
print(e1 == e2, e1 == e3, e1 ~= e2, e1 ~= e3, calls)  -- expect: true\tfalse\tfalse\ttrue\t4
calls = 0
print(e1 == e1, e1 == 1, 1 == e1, e1 == "x", e1 == nil, calls)  -- expect: true\tfalse\tfalse\tfalse\tfalse\t0
print(rawequal(e1, e2), calls)  -- expect: false\t0

-- only one side needs the metamethod
local plain = {v = 1}
print(e1 == plain, plain == e1, calls)  -- expect: true\ttrue\t2

-- the result is converted to a boolean
local truthy = setmetatable({}, {__eq = function() return "yes" end})
local falsy = setmetatable({}, {__eq = function() return nil end})
print(truthy == {}, falsy == {}, truthy ~= {}, falsy ~= {})  -- expect: true\tfalse\tfalse\ttrue

-- __lt and __le
local order = ""
local L = {}
L.__lt = function(x, y) order = order .. "lt(" .. x.n .. "," .. y.n .. ")"; return x.n < y.n end
L.__le = function(x, y) order = order .. "le(" .. x.n .. "," .. y.n .. ")"; return x.n <= y.n end
local function n(v) return setmetatable({n = v}, L) end
local one, two = n(1), n(2)
print(one < two, one > two, one <= two, one >= two, order)  -- expect: true\tfalse\ttrue\tfalse\tlt(1,2)lt(2,1)le(1,2)le(2,1)

-- mixed types: the metamethod of whichever operand has one is used
local M = {__lt = function(x, y) return "lt called" end, __le = function(x, y) return 0 end}
local m = setmetatable({}, M)
print(m < 1, 1 < m, m <= "s", "s" >= m, m > 1)  -- expect: true\ttrue\ttrue\ttrue\ttrue

-- errors without metamethods
print(pcall(function() return {} < {} end))  -- expect: false\tmeta_compare.lua:40: attempt to compare two table values
print(pcall(function() return {} <= {} end))  -- expect: false\tmeta_compare.lua:41: attempt to compare two table values
print(pcall(function() return 1 < {} end))  -- expect: false\tmeta_compare.lua:42: attempt to compare number with table
print(pcall(function() return {} > "x" end))  -- expect: false\tmeta_compare.lua:43: attempt to compare string with table
print(pcall(function() local x; return x >= 1 end))  -- expect: false\tmeta_compare.lua:44: attempt to compare number with nil
print(pcall(function() return e1 < e2 end))  -- expect: false\tmeta_compare.lua:45: attempt to compare two table values

-- __eq is not used when the other operand is not a table
print(e1 == print, 1 == 1.0, "1" == 1)  -- expect: false\ttrue\tfalse

-- __eq between tables with different metamethods: the first operand's is used
local A = setmetatable({}, {__eq = function() return true end})
local B = setmetatable({}, {__eq = function() return false end})
print(A == B, B == A)  -- expect: true\tfalse
