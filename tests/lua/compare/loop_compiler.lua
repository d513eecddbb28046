-- Loops that rivet's loop compiler takes (straight-line integer `for` bodies of moves,
-- constants and + - *), run long enough to be compiled, with values that change kind in the
-- middle so that the compiled code stops and the interpreter goes on: every result must be
-- what lua5.4 prints.

local N = 3000

-- Integers, floats, constants of both kinds, immediates.
local function mix(n)
  local s, d, k = 0, 0.5, 7
  for i = 1, n do
    s = s + i * 3 - 1
    d = d * 1.5 - d + 0.25
    k = k - i + 2
  end
  return s, d, k
end
print(mix(N))

-- Integer overflow wraps as in Lua.
local function wrap(n)
  local x = math.maxinteger - 5
  for i = 1, n do x = x + 1 end
  return x
end
print(wrap(N))

-- A value turns from integer to float in the middle (the code stops at that addition), and
-- back (the next run of the loop).
local function turns(n, at)
  local s = 0
  for i = 1, n do
    s = s + 1
    s = s * 1
    if i == at then s = s + 0.5 end
  end
  return s
end
print(turns(N, N // 2), turns(N, 1), turns(N, N))

local function kinds(v, n)
  local s = v
  for _ = 1, n do s = s + 1 end
  return s
end
-- A string operand: the interpreter's coercion; a table with __add: its metamethod.
print(kinds(1, N), kinds(1.5, N), kinds("10", N))
local mt = { __add = function(a, b) return setmetatable({ v = a.v + b }, getmetatable(a)) end }
print(kinds(setmetatable({ v = 0 }, mt), N).v)

-- Errors inside a compiled loop keep their message and line.
local ok, err = pcall(function()
  local s = 0
  for i = 1, N do
    s = s + 1
    if i == N - 10 then s = {} end
  end
end)
print(ok, err)

-- Loops with negative steps, steps > 1, nested loops, loops that run zero times.
local function shapes()
  local a, b, c = 0, 0, 0
  for i = N, 1, -3 do a = a + i end
  for i = 1, N, 7 do b = b + i * 2 end
  for i = 1, 300 do
    for j = i, 1, -1 do c = c + j - i end
  end
  for i = 10, 1 do a = a + 1000 end
  return a, b, c
end
print(shapes())

-- The control variable may be assigned in the body without changing the iteration.
local function assign(n)
  local t = 0
  for i = 1, n do
    t = t + i
    i = i * 2
    t = t - i
  end
  return t
end
print(assign(N))

-- Loads of every constant kind, nil, booleans.
local function loads(n)
  local a, b, c, d, e
  for _ = 1, n do
    a = "str"
    b = 1.25
    c = true
    d = nil
    e = -40000
  end
  return a, b, c, d, e
end
print(loads(N))

-- Upvalues of the loop's function changed by a closure called between runs.
local function counter()
  local total = 0
  local function add(n)
    local s = total
    for i = 1, n do s = s + i end
    total = s
    return total
  end
  return add
end
local add = counter()
print(add(N), add(N), add(10))

-- A float loop (not compiled) and a loop with a huge count.
local f = 0
for x = 0.5, 300.5, 0.25 do f = f + x end
print(f)
local big = 0
for i = math.maxinteger - 2 * N, math.maxinteger do big = big + 1 end
print(big)
