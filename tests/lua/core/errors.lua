-- Errors: error() with levels 1, 2 and 0, non-string error values (tables, nil, numbers)
-- through pcall, xpcall with a message handler receiving the original value, nested
-- pcall, errors in message handlers, assert, and the uncaught error at the end.

local function lvl1() error("level one") end
local function lvl2() error("level two", 2) end
local function lvl0() error("no position", 0) end
local function caller() lvl2() end  -- the level-2 error points here
print(pcall(lvl1))  -- expect: false\terrors.lua:5: level one
print(pcall(caller))  -- expect: false\terrors.lua:8: level two
print(pcall(lvl0))  -- expect: false\tno position
print(pcall(error))  -- expect: false\tnil
print(pcall(error, "plain"))  -- expect: false\tplain
print(pcall(error, "from pcall", 1))  -- expect: false\tfrom pcall
print(pcall(error, "level 2 from pcall", 2))  -- expect: false\terrors.lua:15: level 2 from pcall
local function three() error("three", 3) end
local function two() three() end
local function one() two() end  -- level 3 points here
print(pcall(one))  -- expect: false\terrors.lua:18: three

-- non-string values are passed through unchanged, without position
local errt = {code = 42}
local ok, e = pcall(error, errt)
print(ok, e == errt, e.code)  -- expect: false\ttrue\t42
print(pcall(error, nil))  -- expect: false\tnil
print(pcall(error, 12))  -- expect: false\t12
print(pcall(error, 12.5, 1))  -- expect: false\t12.5
print(pcall(error, true))  -- expect: false\ttrue
print(pcall(function() error(setmetatable({}, {__tostring = function() return "custom" end})) end))  -- expect: false\tcustom
local _, obj = pcall(function() error(setmetatable({}, {__tostring = function() return "custom" end})) end)
print(tostring(obj))  -- expect: custom

-- pcall returns all results on success
print(pcall(function(...) return ... end, 1, nil, 3))  -- expect: true\t1\tnil\t3
print(select("#", pcall(function() end)))  -- expect: 1

-- xpcall: the handler gets the original error value, its result replaces it
print(xpcall(function() error("orig") end, function(m) return "handled: " .. m end))  -- expect: false\thandled: errors.lua:38: orig
print(xpcall(function() error({1, 2, 3}) end, function(m) return #m end))  -- expect: false\t3
print(xpcall(function() local x = nil; return x.field end, function(m) return "H:" .. m end))  -- expect: false\tH:errors.lua:40: attempt to index a nil value (local 'x')
print(xpcall(function(a, b) return a + b end, print, 3, 4))  -- expect: true\t7
print(xpcall(function() error() end, function(m) return type(m) end))  -- expect: false\tnil
-- handler results: only the first is kept
print(xpcall(function() error("x") end, function() return "one", "two" end))  -- expect: false\tone
-- an error inside the handler
print(xpcall(function() error("first") end, function(m) error("in handler") end))  -- expect: false\terror in error handling
print(pcall(xpcall))  -- expect: false\tbad argument #2 to 'xpcall' (function expected, got no value)
print(pcall(xpcall, print))  -- expect: false\tbad argument #2 to 'xpcall' (function expected, got no value)

-- nested pcall: inner errors do not escape
print(pcall(function()
  local ok1, e1 = pcall(error, "inner")
  local ok2, e2 = pcall(function() return "fine" end)
  error("outer after " .. e1 .. " and " .. e2, 0)
end))  -- expect: false\touter after inner and fine
local depth = 0
local function nest(n)
  if n == 0 then error("bottom", 0) end
  local ok, e = pcall(nest, n - 1)
  depth = depth + 1
  error(e .. "<" .. n, 0)
end
print(pcall(nest, 5))  -- expect: false\tbottom<1<2<3<4<5
print(depth)  -- expect: 5

-- errors in metamethods propagate with their own position
local bad = setmetatable({}, {__index = function(t, k) error("no field " .. k) end})
print(pcall(function() return bad.missing end))  -- expect: false\terrors.lua:67: no field missing
local bad2 = setmetatable({}, {__add = function() error("cannot add", 2) end})
print(pcall(function() return bad2 + 1 end))  -- expect: false\terrors.lua:70: cannot add

-- assert returns all its arguments on success
print(assert(1, "unused", 3))  -- expect: 1\tunused\t3
print(pcall(assert, false))  -- expect: false\tassertion failed!
print(pcall(assert, nil, "custom message"))  -- expect: false\tcustom message
local ok3, e3 = pcall(assert, false, {"payload"})
print(ok3, type(e3), e3[1])  -- expect: false\ttable\tpayload
print(pcall(assert))  -- expect: false\tbad argument #1 to 'assert' (value expected)
print(pcall(assert, 1 == 2, 42))  -- expect: false\t42

-- error with a position in a loaded chunk
print(pcall(load("error('in chunk')", "=loaded")))  -- expect: false\tloaded:1: in chunk
print(pcall(load("local t = nil\nreturn t.x", "@virtual.lua")))  -- expect: false\tvirtual.lua:2: attempt to index a nil value (local 't')

-- runtime errors carry the line of the operator of the failing operation
local function multi()
  local a = 1
  local b = nil
  return a
    + b
end
print(pcall(multi))  -- expect: false\terrors.lua:90: attempt to perform arithmetic on a nil value (local 'b')

-- an uncaught error ends the script with its message on stderr
error("final uncaught error")  -- error: errors.lua:95: final uncaught error
