-- closures: creating and calling closures, upvalue reads and writes.
-- Measures: CLOSURE creation (with 1-3 upvalues), calls through closure
-- values, open and closed upvalue access (GETUPVAL/SETUPVAL), closures
-- created per loop iteration capturing a fresh loop variable, and
-- higher-order functions (passing functions as arguments).
-- expect: closures 209577971
local N = tonumber(arg and arg[1]) or 1200000

local function make_counter()
  local count = 0
  return function(step)
    count = count + step
    return count
  end
end

local function make_acc(a, b)
  return function(x) a = a + x; b = b - x; return a * 2 + b end
end

local function compose(f, g)
  return function(x) return f(g(x)) end
end

local function map_sum(f, n)
  local s = 0
  for i = 1, n do s = s + f(i) end
  return s
end

local check = 0
for i = 1, N do
  -- create and call a counter a few times (closed upvalue updates)
  local c = make_counter()
  c(1); c(2)
  local v = c(i % 5)
  -- closure over two upvalues
  local acc = make_acc(i, 3)
  v = v + acc(1) + acc(2)
  -- composed closures
  local h = compose(function(x) return x + 1 end, function(x) return x * 2 end)
  v = v + h(i % 100)
  -- open upvalue: inner function updates a local of this iteration
  local local_sum = 0
  local function add(x) local_sum = local_sum + x end
  add(i % 3); add(1)
  v = v + local_sum
  check = (check + v) % 1000000007
end

-- closures capturing each loop variable, called later
local fns = {}
for i = 1, 1000 do
  fns[i] = function() return i * i end
end
for r = 1, 800 do
  check = (check + map_sum(function(k) return fns[k]() end, 1000)) % 1000000007
end

print("closures", check)
