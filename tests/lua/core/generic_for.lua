-- Generic for: the iterator protocol (function, state, control, closing value), stateless
-- and stateful iterators, ipairs/pairs/next, the 4th value closed when the loop ends by
-- exhaustion, break, return or error, and errors for non-callable iterators.

-- a stateless iterator: f(state, control) until the first value is nil
local function range(n)
  return function(max, i)
    if i < max then return i + 1, (i + 1) * (i + 1) end
  end, n, 0
end
local out = ""
for i, sq in range(4) do out = out .. i .. "=" .. sq .. ";" end
print(out)  -- expect: 1=1;2=4;3=9;4=16;

-- a stateful closure iterator
local function chars(s, n)
  local i = 0
  return function()
    i = i + 1
    if i <= n then return i, s end
  end
end
out = ""
for i, s in chars("x", 3) do out = out .. i .. s end
print(out)  -- expect: 1x2x3x

-- the loop stops at the first nil control value, even if other values follow
local function stops()
  local k = 0
  return function()
    k = k + 1
    if k == 3 then return nil, "ignored" end
    return k, "v" .. k
  end
end
out = ""
for a, b in stops() do out = out .. a .. b .. ";" end
print(out)  -- expect: 1v1;2v2;

-- extra loop variables are nil; extra iterator results are dropped
for a, b, c, d in function(_, c) if not c then return 1, 2 end end do print(a, b, c, d) end  -- expect: 1\t2\tnil\tnil

-- ipairs stops at the first nil; pairs over arrays goes in order here because the keys
-- are in the array part
local arr = {"a", "b", "c", nil, "e"}
out = ""
for i, v in ipairs(arr) do out = out .. i .. v end
print(out)  -- expect: 1a2b3c
out = ""
for k, v in pairs({10, 20, 30}) do out = out .. k .. ":" .. v .. ";" end
print(out)  -- expect: 1:10;2:20;3:30;
print(next({}), next({7}), next({7}, 1))  -- expect: nil\t1\tnil
local single = {key = "value"}
print(next(single), next(single, "key"))  -- expect: key\tnil
print(pcall(next, {}, "nokey"))  -- expect: false\tinvalid key to 'next'

-- pairs returns next, the table and nil
local f, s, c = pairs(single)
print(f == next, s == single, c)  -- expect: true\ttrue\tnil
local f2, s2, c2 = ipairs(arr)
print(type(f2), s2 == arr, c2)  -- expect: function\ttrue\t0

-- modifying existing fields during traversal is allowed; clearing them too
local t = {a = 1, b = 2, c = 3}
local total = 0
for k, v in pairs(t) do total = total + v; t[k] = nil end
print(total, next(t))  -- expect: 6\tnil

-- the 4th value is closed when the loop ends
local log = ""
local function closer(name)
  return setmetatable({}, {__close = function(_, err) log = log .. "close " .. name .. " err=" .. tostring(err) .. ";" end})
end
local function iter_with_close(n, name)
  local i = 0
  return function() i = i + 1; if i <= n then return i end end, nil, nil, closer(name)
end
for i in iter_with_close(2, "exhausted") do log = log .. i .. ";" end
print(log)  -- expect: 1;2;close exhausted err=nil;
log = ""
for i in iter_with_close(5, "break") do if i == 2 then break end; log = log .. i .. ";" end
print(log)  -- expect: 1;close break err=nil;
log = ""
local function ret() for i in iter_with_close(5, "return") do if i == 3 then return i end end end
print(ret(), log)  -- expect: 3\tclose return err=nil;
log = ""
print(pcall(function() for i in iter_with_close(5, "error") do error("boom") end end))  -- expect: false\tgeneric_for.lua:87: boom
print(log)  -- expect: close error err=generic_for.lua:87: boom;
log = ""
for i in iter_with_close(1, "nil-ok"), nil, nil, nil do end
print(log == "")  -- expect: true
print(pcall(function() for i in function() end, nil, nil, 42 do end end))  -- expect: false\tgeneric_for.lua:92: variable '(for state)' got a non-closable value

-- calling a non-function iterator
print(pcall(function() for k in {} do end end))  -- expect: false\tgeneric_for.lua:95: attempt to call a table value (for iterator 'for iterator')
print(pcall(function() local t = {} for k in t do end end))  -- expect: false\tgeneric_for.lua:96: attempt to call a table value (for iterator 'for iterator')
print(pcall(function() for k in nil do end end))  -- expect: false\tgeneric_for.lua:97: attempt to call a nil value (for iterator 'for iterator')
-- an iterator table with __call works
local callable = setmetatable({}, {__call = function(self, s, c) c = c + 1; if c <= 3 then return c end end})
out = ""
for i in callable, nil, 0 do out = out .. i end
print(out)  -- expect: 123

-- ipairs returns one and the same iterator; its index wraps around at maxinteger
print(ipairs{} == ipairs{})  -- expect: true
local iter = ipairs{}
print(iter({[math.mininteger] = 10}, math.maxinteger))  -- expect: -9223372036854775808\t10

-- __pairs may yield (pairs calls it with a continuation)
local yielding = setmetatable({}, {__pairs = function(t)
  local step = coroutine.yield("in __pairs")
  return function(_, i) if i < 3 then return i + step end end, t, 0
end})
local co = coroutine.wrap(function() local s = "" for i in pairs(yielding) do s = s .. i end return s end)
print(co())  -- expect: in __pairs
print(co(1))  -- expect: 123
