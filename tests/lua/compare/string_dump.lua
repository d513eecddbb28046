-- string.dump and loading binary chunks: what the loaded functions do, stripping, load
-- modes, upvalues, files and readers. (The bytes differ between implementations; behaviour
-- and messages do not.)

local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, " | "))
end

local function roundtrip(f, strip) return assert(load(string.dump(f, strip), "=dumped", "b")) end

print("-- functions survive a round trip")
local samples = {
  function(a, b) return a + b, a * b, a // b, a % b, a / b end,
  function(...) return select("#", ...), ... end,
  function(s) return s:upper(), #s, s:rep(2, "-") end,
  function(n) local t = {} for i = 1, n do t[#t + 1] = i * i end return table.concat(t, ",") end,
  function(x) if x > 0 then return "pos" elseif x < 0 then return "neg" else return "zero" end end,
  function() return 0x7fffffffffffffff, math.mininteger, 2^53, -0.0, 1/0, -1/0, 3.25e-300 end,
  function() local nan = 0/0 return nan ~= nan, tostring(1/(-0.0)) end,
  function() return [[a long string
with two lines]], ("x"):rep(100):len(), "\0\1\2\255" end,
  function(n)
    local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end
    return fib(n)
  end,
  function()
    local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
    return co(1), co(10)
  end,
  function(t) local s = 0 for _, v in ipairs(t) do s = s + v end return s end,
  function() local t <close> = nil local x <const> = 42 goto done ::done:: return x end,
}
local args = { {7, 3}, {"a", "b", nil}, {"rivet"}, {5}, {-2}, {}, {}, {}, {20}, {}, {{1, 2, 3, 4}}, {} }
for i, f in ipairs(samples) do
  for _, strip in ipairs({false, true}) do
    local g = roundtrip(f, strip)
    show(i, strip, g(table.unpack(args[i])))
  end
end

print("-- nested functions and closures created by a loaded function")
local maker = roundtrip(function()
  local function counter(start)
    local n = start
    return function(step) n = n + (step or 1) return n end
  end
  local c = counter(10)
  c() c(5)
  return c(), counter(0)()
end)
show(maker())

print("-- upvalues are fresh: the first is the environment, the others nil")
local a, b = "a", "b"
local function uses_upvalues() return a, b end
local x, y = roundtrip(uses_upvalues)()
show(x == _G, y)
local env = {}
local g = load(string.dump(uses_upvalues), "=env", "b", env)
x, y = g()
show(x == env, y)
local function uses_globals() return type(print), rawget(_ENV, "marker") end
marker = "global marker"
show(roundtrip(uses_globals)())
show(load(string.dump(uses_globals), "=env", "b", { type = type, rawget = rawget, marker = "own" })())

print("-- error positions: the original chunk name, or none when stripped")
local function fails(t) return t.field end
show(pcall(roundtrip(fails), nil))
show(pcall(roundtrip(fails, true), nil))
local function raises() error("raised") end
show(pcall(roundtrip(raises)))
show(pcall(roundtrip(raises, true)))
local function raises2() error("level 2", 2) end
show(pcall(roundtrip(raises2, true)))

print("-- modes")
local bin = string.dump(function() return "binary" end)
show(load(bin, "=m", "t"))
show(load(bin, "=m", "b")())
show(load(bin, "=m", "bt")())
show(load(bin)())
show(load("return 'text'", "=m", "b"))
show(load("return 'text'", "=m", "t")())
show(pcall(load, bin, "=m", "x"))
show(load(bin, "=m", ""))

print("-- a reader function can deliver a binary chunk piece by piece")
local pos = 0
show(load(function()
  pos = pos + 1
  if pos <= #bin then return bin:sub(pos, pos) end
end, "=pieces", "b")())

print("-- binary files: loadfile, dofile, with a '#' first line")
local name = os.tmpname()
local file = assert(io.open(name, "wb"))
file:write(string.dump(function(...) return "from file", ... end))
file:close()
show(loadfile(name)("arg"))
show(loadfile(name, "b")("arg"))
show(select(2, loadfile(name, "t")))
show(dofile(name))
file = assert(io.open(name, "wb"))
file:write("#!/usr/bin/env lua\n", string.dump(function() return "after shebang" end))
file:close()
show(dofile(name))
os.remove(name)

print("-- truncated chunks")
for i, n in ipairs({1, 3, 4, 5, 10, #bin // 2, #bin - 1}) do
  show(i, load(bin:sub(1, n)))
  show(i, load(bin:sub(1, n), "@named.lua"))
end

print("-- what cannot be dumped")
show(pcall(string.dump, print))
show(pcall(string.dump, coroutine.wrap(function() end)))
show(pcall(string.dump))
show(pcall(string.dump, {}))
show(type(string.dump(function() end, "strip")))
