-- The string library calling back into Lua: gsub replacement functions and tables with
-- __index, __tostring for %s, collections during callbacks, yields across a callback,
-- errors raised inside callbacks, and nested calls.

-- a collection inside a replacement function keeps subject, pattern and captures alive
local subject = ("word "):rep(200)
local n = 0
local result = subject:gsub("(%w+)()", function(w, pos)
  n = n + 1
  if n % 50 == 0 then collectgarbage() end
  local junk = {}
  for i = 1, 20 do junk[i] = {w .. i} end
  return w:upper() .. pos
end)
print(n, #result, result:sub(1, 30))  -- expect: 200\t1581\tWORD5 WORD10 WORD15 WORD20 WOR

-- gmatch iterators survive collections between steps
local it = ("a1 b2 c3 d4"):gmatch("(%a)(%d)")
local acc = ""
for _ = 1, 4 do
  collectgarbage()
  local l, d = it()
  acc = acc .. l .. d .. ";"
end
print(acc, it())  -- expect: a1;b2;c3;d4;

-- %s with __tostring collecting garbage
local obj = setmetatable({}, {__tostring = function() collectgarbage(); return "obj" end})
print(string.format("%s %s %5s", obj, obj, obj))  -- expect: obj obj   obj

-- yields across a replacement function fail as in Lua
local co = coroutine.create(function()
  return ("abc"):gsub(".", function(c) coroutine.yield(c) end)
end)
print(coroutine.resume(co))  -- expect: false\tattempt to yield across a C-call boundary
local co2 = coroutine.wrap(function()
  for w in ("x y z"):gmatch("%a") do coroutine.yield(w) end
  return "done"
end)
print(co2(), co2(), co2(), co2())  -- expect: x\ty\tz\tdone

-- errors inside callbacks propagate with their position
print(pcall(string.gsub, "abc", "b", function() error("inner") end))  -- expect: false\tstring_callbacks.lua:43: inner
print(pcall(string.gsub, "abc", "b", function() error("inner", 0) end))  -- expect: false\tinner
print(pcall(string.gsub, "abc", "b", function() local x = nil; return x.y end))  -- expect: false\tstring_callbacks.lua:45: attempt to index a nil value (local 'x')
print(pcall(string.format, "%s", setmetatable({}, {__tostring = function() error("ts") end})))  -- expect: false\tstring_callbacks.lua:46: ts
print(pcall(string.gsub, "abc", "b", setmetatable({}, {__index = function() error("idx") end})))  -- expect: false\tstring_callbacks.lua:47: idx

-- nested library calls from callbacks
print(("a,b;c,d"):gsub("[^;]+", function(part) return (part:gsub(",", "+")) end))  -- expect: a+b;c+d\t2
print(("3 4 5"):gsub("%d", function(d) return string.format("%03d", d * 2) end))  -- expect: 006 008 010\t3
local function expand(s, depth)
  if depth == 0 then return s end
  return (s:gsub("x", function() return expand("(x)", depth - 1) end))
end
print(expand("x", 10))  -- expect: ((((((((((x))))))))))
local function deep(k)
  return (("x"):gsub("x", function() return k > 0 and deep(k - 1) or "bottom" end))
end
print(deep(100))  -- expect: bottom
local ok, err = pcall(deep, 300)
print(ok, err)  -- expect: false\tC stack overflow
