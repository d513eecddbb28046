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

-- Comparisons of every kind, with integers, floats, NaN, mixed kinds (which the interpreter
-- compares) and truth tests of nil, false, 0 and strings.
local function comparisons(n, x)
  local lt, le, eq, gt, ge, ne, t = 0, 0, 0, 0, 0, 0, 0
  for i = 1, n do
    local v = i
    if i > 2000 and i < 2100 then v = x end
    if v < 50 then lt = lt + 1 end
    if v <= 50 then le = le + 1 end
    if v == 70 then eq = eq + 1 end
    if v > 2990 then gt = gt + 1 end
    if v >= i then ge = ge + 1 end
    if v ~= i then ne = ne + 1 end
    if v and i > 10 and not (i >= 20) then t = t + 1 end
  end
  return lt, le, eq, gt, ge, ne, t
end
print(comparisons(N, 70))
print(comparisons(N, 70.0))
print(comparisons(N, 0 / 0))
print(comparisons(N, -1.5))

local function truth(n, a, b)
  local c = 0
  for i = 1, n do
    if a then c = c + 1 end
    if not b then c = c + 10 end
    local s = a or b
    if s then c = c + 100 end
  end
  return c
end
print(truth(N, nil, false), truth(N, 0, ""), truth(N, false, true))

-- Branches over float loop data and upvalue counters (a closure counting its calls).
local hits = 0
local function count(n)
  local s, m = 0.0, 0
  for i = 1, n do
    hits = hits + 1
    s = s + 0.5
    if s > 100 then s = s - 100; m = m + 1 end
  end
  return s, m
end
print(count(N), hits)
print(count(N), hits)

-- An upvalue that changes kind between runs.
local u = 1
local function bump(n) for _ = 1, n do u = u * 2 - 1 end return u end
print(bump(N))
u = 1.5
print(bump(10))
u = "7"
print(bump(10))

-- Mixed integer and float operands, `/`, `%` and `//` of integers (floored, by negative
-- numbers, by -1 of the most negative integer) and of floats, and a zero divisor.
local minint = math.mininteger
local function division(n, d)
  local z, q, r, f, g = 0.0, 0, 0, 0.0, 0
  for i = 1, n do
    z = z + i / 7 - i * 0.125 + (i + 0.5) * 2
    q = q + (i - 1500) // d + i // 3
    r = r + (i - 1500) % d + i % 3
    f = f + (i + 0.5) % 4 + (i * 1.5) // 2
    g = minint // -1 + minint % -1 + g
  end
  return z, q, r, f, g
end
print(division(N, 7))
print(division(N, -7))
print(division(N, -1))
-- (A zero integer divisor's error is in tests/lua/core/loop_compiler.lua: Debian's lua5.4
-- reports it at the line of the `for`, Lua 5.4.8 and rivet at the line of the division.)
print(pcall(division, N, 0.0))
