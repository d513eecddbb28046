-- debug.getlocal and debug.setlocal: named locals by level, parameters of functions that
-- are not running, varargs (negative indices), temporaries of Lua and native frames,
-- coroutines, and argument errors.

local function all_locals(level)
  local out = {}
  for i = 1, 50 do
    local name, value = debug.getlocal(level + 1, i)
    if not name then break end
    if type(value) == "function" then value = "function" end
    out[#out + 1] = name .. "=" .. tostring(value)
  end
  return table.concat(out, " ")
end

print("-- named locals")
local function f(a, b)
  local c = a + b
  do
    local inner = c * 2
    print("inside do", all_locals(1))
  end
  local d <const> = 10
  local e = "e"
  print("after do", all_locals(1))
  return c
end
f(1, 2)

print("-- parameters of a function value")
local function params(x, y, ...) local z end
for i = 0, 4 do print(i, debug.getlocal(params, i)) end
print("native", debug.getlocal(print, 1))
print("negative", debug.getlocal(params, -1))

print("-- varargs")
local function va(a, ...)
  for i = 1, select("#", ...) + 1 do
    print(-i, debug.getlocal(1, -i))
  end
  print("set", debug.setlocal(1, -2, "changed"), select(2, ...))
  print("set out of range", debug.setlocal(1, -10, "x"))
end
va(0, "v1", "v2", nil)
local function not_va(a) return debug.getlocal(1, -1) end
print("not vararg", not_va(1))

print("-- setlocal")
local function g()
  local x, y = 1, 2
  local r1, r2 = debug.setlocal(1, 1, 100), debug.setlocal(1, 2, 200)
  print(r1, r2, x, y)
end
g()
local function set_caller()
  debug.setlocal(2, 1, "set by callee")
end
local function caller()
  local v = "original"
  set_caller()
  return v
end
print(caller())

print("-- temporaries")
print(debug.getlocal(0, 1))
print(debug.getlocal(0, 2))
print(debug.getlocal(0, 3))
print(debug.getlocal(0, 0))
local function temp_probe()
  return select(2, debug.getlocal(2, 3)), debug.getlocal(2, 4)
end
local function temps(a, b) return (a + 1) + temp_probe() end
print(pcall(temps, 0, 0))

print("-- levels")
print(pcall(debug.getlocal, 50, 1))
print(pcall(debug.setlocal, 50, 1, 1))
print(pcall(debug.getlocal, -1, 1))
print(pcall(debug.getlocal, 1))
print(pcall(debug.getlocal, 1, "x"))
print(pcall(debug.setlocal, 1, 1))
print(pcall(debug.getlocal, "x", 1))

print("-- coroutines")
local co = coroutine.create(function (p, q)
  local r = p + q
  local s, t = coroutine.yield(r)
  return r, s, t
end)
print(coroutine.resume(co, 1, 2))
print(debug.getlocal(co, 1, 1))
print(debug.getlocal(co, 1, 3))
print(debug.getlocal(co, 1, 4))
print(debug.setlocal(co, 1, 3, 30))
print(debug.getlocal(co, 0, 1))
print(pcall(debug.getlocal, co, 2, 1))
print(debug.getlocal(co, params, 2))
print(coroutine.resume(co, "s", "t"))
