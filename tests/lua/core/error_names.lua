-- Runtime error messages with variable information: (local 'x'), (global 'x'),
-- (field 'y'), (upvalue 'z'), (constant 'abc'), (method 'm'), for indexing, calling,
-- arithmetic, concatenation, bitwise operations, length and comparison.

local up = nil
print(pcall(function() local x; return x.y end))  -- expect: false\terror_names.lua:6: attempt to index a nil value (local 'x')
print(pcall(function() return undefinedglobal.y end))  -- expect: false\terror_names.lua:7: attempt to index a nil value (global 'undefinedglobal')
print(pcall(function() local t = {}; return t.a.b end))  -- expect: false\terror_names.lua:8: attempt to index a nil value (field 'a')
print(pcall(function() return up.z end))  -- expect: false\terror_names.lua:9: attempt to index a nil value (upvalue 'up')
print(pcall(function() local t = {}; return t[1][2] end))  -- expect: false\terror_names.lua:10: attempt to index a nil value (field 'integer index')
print(pcall(function() local t, k = {}, "key"; return t[k].x end))  -- expect: false\terror_names.lua:11: attempt to index a nil value (field '?')
print(pcall(function() local s = "abc"; return s.x.y end))  -- expect: false\terror_names.lua:12: attempt to index a nil value (field 'x')

-- calls
print(pcall(function() f() end))  -- expect: false\terror_names.lua:15: attempt to call a nil value (global 'f')
print(pcall(function() local g; g() end))  -- expect: false\terror_names.lua:16: attempt to call a nil value (local 'g')
print(pcall(function() up() end))  -- expect: false\terror_names.lua:17: attempt to call a nil value (upvalue 'up')
print(pcall(function() local t = {}; t.field() end))  -- expect: false\terror_names.lua:18: attempt to call a nil value (field 'field')
print(pcall(function() local t = {}; t:m() end))  -- expect: false\terror_names.lua:19: attempt to call a nil value (method 'm')
print(pcall(function() local t = {x = {}}; t.x:m() end))  -- expect: false\terror_names.lua:20: attempt to call a nil value (method 'm')
print(pcall(function() local t = {}; t[1]() end))  -- expect: false\terror_names.lua:21: attempt to call a nil value (field 'integer index')
print(pcall(function() ("abc")() end))  -- expect: false\terror_names.lua:22: attempt to call a string value (constant 'abc')
print(pcall(function() (1)() end))  -- expect: false\terror_names.lua:23: attempt to call a number value
print(pcall(function() local t = {}; (t.x or t.y)() end))  -- expect: false\terror_names.lua:24: attempt to call a nil value

-- arithmetic and concatenation
print(pcall(function() local t = {}; return t.x + 1 end))  -- expect: false\terror_names.lua:27: attempt to perform arithmetic on a nil value (field 'x')
print(pcall(function() local t = {}; return 1 - t.x end))  -- expect: false\terror_names.lua:28: attempt to perform arithmetic on a nil value (field 'x')
print(pcall(function() return globalnum * 2 end))  -- expect: false\terror_names.lua:29: attempt to perform arithmetic on a nil value (global 'globalnum')
print(pcall(function() return up / 2 end))  -- expect: false\terror_names.lua:30: attempt to perform arithmetic on a nil value (upvalue 'up')
print(pcall(function() local x = {}; return -x end))  -- expect: false\terror_names.lua:31: attempt to perform arithmetic on a table value (local 'x')
print(pcall(function() local t = {}; return "a" .. t end))  -- expect: false\terror_names.lua:32: attempt to concatenate a table value (local 't')
print(pcall(function() local t = {}; return t .. "a" end))  -- expect: false\terror_names.lua:33: attempt to concatenate a table value (local 't')
print(pcall(function() local a, b = "x", nil; return a .. b end))  -- expect: false\terror_names.lua:34: attempt to concatenate a nil value (local 'b')
print(pcall(function() return "a" .. {} .. "b" end))  -- expect: false\terror_names.lua:35: attempt to concatenate a table value
print(pcall(function() local t = {}; return "x" .. t.missing end))  -- expect: false\terror_names.lua:36: attempt to concatenate a nil value (field 'missing')
print(pcall(function() local x = "abc"; return x & 1 end))  -- expect: false\terror_names.lua:37: attempt to perform bitwise operation on a string value (local 'x')
print(pcall(function() local t = {}; return t.v | 1 end))  -- expect: false\terror_names.lua:38: attempt to perform bitwise operation on a nil value (field 'v')
print(pcall(function() local x = 1.5; return x << 1 end))  -- expect: false\terror_names.lua:39: number (local 'x') has no integer representation
print(pcall(function() return #up end))  -- expect: false\terror_names.lua:40: attempt to get length of a nil value (upvalue 'up')
print(pcall(function() local t = {}; return #t.list end))  -- expect: false\terror_names.lua:41: attempt to get length of a nil value (field 'list')

-- comparison messages name types only
print(pcall(function() local a, b = {}, 1; return a < b end))  -- expect: false\terror_names.lua:44: attempt to compare table with number
print(pcall(function() local a; return a <= 1 end))  -- expect: false\terror_names.lua:45: attempt to compare nil with number
print(pcall(function() return "a" < 1 end))  -- expect: false\terror_names.lua:46: attempt to compare string with number

-- upvalues in nested closures
local outer_tbl = nil
local function mk() return function() return outer_tbl.field end end
print(pcall(mk()))  -- expect: false\terror_names.lua:50: attempt to index a nil value (upvalue 'outer_tbl')

-- global names go through _ENV
print(pcall(function() local x = missing_table.sub.key end))  -- expect: false\terror_names.lua:54: attempt to index a nil value (global 'missing_table')
print(pcall(load("return nothing_here()", "=chunk")))  -- expect: false\tchunk:1: attempt to call a nil value (global 'nothing_here')
print(pcall(load("local _ENV = {}; return print()", "=envchunk")))  -- expect: false\tenvchunk:1: attempt to call a nil value (global 'print')

-- only a local or upvalue named _ENV makes a "global": a field or constant of that name does not
print(select(2, pcall(load("a = {_ENV = {}}; return a._ENV.x + 1"))))  -- expect: [string "a = {_ENV = {}}; return a._ENV.x + 1"]:1: attempt to perform arithmetic on a nil value (field 'x')
print(select(2, pcall(load("return ('_ENV').x + 1"))))  -- expect: [string "return ('_ENV').x + 1"]:1: attempt to perform arithmetic on a nil value (field 'x')
print(select(2, pcall(load("local _ENV = {}; return x + 1"))))  -- expect: [string "local _ENV = {}; return x + 1"]:1: attempt to perform arithmetic on a nil value (global 'x')

-- a metamethod that cannot be called is named by its event
local badadd = setmetatable({}, {__add = 34, __lt = {}, __close = 1})
print(pcall(function() return badadd + 1 end))  -- expect: false\terror_names.lua:65: attempt to call a number value (metamethod 'add')
print(pcall(function() return badadd < badadd end))  -- expect: false\terror_names.lua:66: attempt to call a table value (metamethod 'lt')
print(pcall(function() local x <close> = badadd end))  -- expect: false\terror_names.lua:67: attempt to call a number value (metamethod 'close')

-- 'for' errors name the type by __name
print(pcall(function() for i = io.stdin, 10 do end end))  -- expect: false\terror_names.lua:70: bad 'for' initial value (number expected, got FILE*)

-- the uncaught error format at top level
local x
x.y = 1  -- error: error_names.lua:74: attempt to index a nil value (local 'x')

