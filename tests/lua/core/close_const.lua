-- To-be-closed and constant variables: closing in reverse order at block exit, on break,
-- return, goto and error, the error value passed to __close, errors raised inside __close,
-- nil and false as closable values, non-closable values, and <const> rules.

local log = ""
local function res(name)
  return setmetatable({}, {__close = function(self, err)
    log = log .. name .. (err ~= nil and ("(" .. tostring(err) .. ")") or "") .. ";"
  end})
end

-- reverse order at the end of a block
do
  local a <close> = res("a")
  local b <close> = res("b")
  local c <close> = res("c")
  log = log .. "body;"
end
print(log)  -- expect: body;c;b;a;

-- on break, on return, on goto
log = ""
for i = 1, 3 do
  local x <close> = res("iter" .. i)
  if i == 2 then break end
end
print(log)  -- expect: iter1;iter2;
log = ""
local function early(flag)
  local r <close> = res("fn")
  if flag then return "early" end
  log = log .. "late;"
  return "late"
end
print(early(true), log)  -- expect: early\tfn;
log = ""
do
  local n = 0
  ::again::
  do
    local g <close> = res("goto" .. n)
    n = n + 1
    if n < 3 then goto again end
  end
end
print(log)  -- expect: goto0;goto1;goto2;

-- return values are computed before closing
log = ""
local function retval()
  local r <close> = res("r")
  return log .. "computed"
end
print(retval(), log)  -- expect: computed\tr;

-- on error: __close receives the error object, the error continues
log = ""
print(pcall(function()
  local a <close> = res("a")
  local b <close> = res("b")
  error("boom", 0)
end))  -- expect: false\tboom
print(log)  -- expect: b(boom);a(boom);

-- an error inside __close replaces the original error; later closers see the new error
log = ""
print(pcall(function()
  local a <close> = res("a")
  local bad <close> = setmetatable({}, {__close = function(_, err) log = log .. "bad(" .. tostring(err) .. ");" error("close error", 0) end})
  local c <close> = res("c")
  error("original", 0)
end))  -- expect: false\tclose error
print(log)  -- expect: c(original);bad(original);a(close error);
-- an error in __close during a normal exit
log = ""
print(pcall(function()
  local a <close> = res("a")
  local bad <close> = setmetatable({}, {__close = function() error("failed closing", 0) end})
  return "not returned"
end))  -- expect: false\tfailed closing
print(log)  -- expect: a(failed closing);

-- nil and false are allowed and ignored
do
  local n <close> = nil
  local f <close> = false
end
print("nil and false ok")  -- expect: nil and false ok

-- non-closable values
print(pcall(function() local x <close> = {} end))  -- expect: false\tclose_const.lua:91: variable 'x' got a non-closable value
print(pcall(function() local y <close> = 42 end))  -- expect: false\tclose_const.lua:92: variable 'y' got a non-closable value
print(pcall(function() local z <close> = setmetatable({}, {__index = {__close = print}}) end))  -- expect: false\tclose_const.lua:93: variable 'z' got a non-closable value

-- the variable is constant and the metamethod is looked up at closing time
print(load("local x <close> = nil; x = 1"))  -- expect: nil\t[string "local x <close> = nil; x = 1"]:1: attempt to assign to const variable 'x'
log = ""
do
  local mt = {__close = function() log = log .. "first;" end}
  local v <close> = setmetatable({}, mt)
  mt.__close = function() log = log .. "replaced;" end
end
print(log)  -- expect: replaced;

-- <close> in a coroutine that finishes normally or with an error
log = ""
local co = coroutine.wrap(function()
  local a <close> = res("co")
  coroutine.yield("y")
  return "r"
end)
print(co(), log)  -- expect: y\t
print(co(), log)  -- expect: r\tco;

-- <const>: compile-time constants and read-only locals
local K <const> = 10
local S <const> = "str"
local function usesK() return K * 2, S end
print(usesK())  -- expect: 20\tstr
local T <const> = {}
T.field = "mutable contents"
print(T.field)  -- expect: mutable contents
print(load("local c <const> = 1; c = 2"))  -- expect: nil\t[string "local c <const> = 1; c = 2"]:1: attempt to assign to const variable 'c'
print(load("local c <const> = 1; local function f() c = 2 end"))  -- expect: nil\t[string "local c <const> = 1; local function f() c = 2..."]:1: attempt to assign to const variable 'c'
print(load("local a, b <const> = 1, 2; a = 3; return a, b")())  -- expect: 3\t2
print(load("local a, b <const> = 1, 2; b = 3"))  -- expect: nil\t[string "local a, b <const> = 1, 2; b = 3"]:1: attempt to assign to const variable 'b'
print(load("local x <close> = nil; local function f() x = 1 end"))  -- expect: nil\t[string "local x <close> = nil; local function f() x =..."]:1: attempt to assign to const variable 'x'

-- the last statement: a non-closable value is an uncaught error
local bad <close> = 1  -- error: close_const.lua:130: variable 'bad' got a non-closable value
