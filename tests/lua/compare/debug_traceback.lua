-- debug.traceback: messages of every type, levels, names of functions (loaded, local,
-- method, field, upvalue, metamethod, hook, for iterator), tail calls, long tracebacks cut
-- to the first 10 and last 11 levels, and tracebacks of other coroutines. Frames below
-- the script are left out by running everything inside a coroutine.

local function run(f, ...) return coroutine.wrap(f)(...) end

print("-- messages")
run(function ()
  print(debug.traceback("msg"))
  print(debug.traceback("msg", 1))
  print(debug.traceback(42))
  print(debug.traceback(1.5, 1))
  print(debug.traceback(nil, 1))
  print(debug.traceback())
  print(debug.traceback(print) == print, debug.traceback({}) ~= nil, debug.traceback(true))
  print(debug.traceback("level 0", 0))
  print(debug.traceback("level 2", 2))
  print(debug.traceback("level 50", 50))
  print(debug.traceback("negative", -1))
  print(pcall(debug.traceback, "x", "y"))
end)

print("-- names")
local t = {}
function t.field() return debug.traceback("field") end
function t:method() return debug.traceback("method") end
Global_function = function () return debug.traceback("global") end
local function loc() return debug.traceback("local") end
local up = loc
run(function ()
  print(t.field())
  print(t:method())
  print(Global_function())
  print(loc())
  print((function () return (up()) end)())
  print(select(2, pcall(error)))
  local obj = setmetatable({}, {__index = function () return debug.traceback("index") end,
                                __add = function () return debug.traceback("add") end})
  print(obj.x)
  print(obj + 1)
  for v in function (_, c) if not c then return debug.traceback("iterator") end end do print(v) end
  print(string.gsub("a", "a", function () return debug.traceback("native caller") end))
  local hooked
  debug.sethook(function () hooked = hooked or debug.traceback("hook") end, "l")
  local _ = 1
  debug.sethook()
  print(hooked)
end)
Global_function = nil

print("-- tail calls")
run(function ()
  local function target() return debug.traceback("tail") end
  local function caller() return target() end
  print(caller())
  local function tail_native() return pcall(debug.traceback, "tail native") end
  print(select(2, tail_native()))
end)

print("-- long tracebacks")
local function deep(n, level)
  if n == 0 then return debug.traceback("deep", level) end
  return (deep(n - 1, level))
end
for _, n in ipairs{18, 19, 20, 21, 22, 30} do
  local tb = run(deep, n, 1)
  local lines = select(2, string.gsub(tb, "\n", "\n"))
  print(n, lines, string.match(tb, "%.%.%.\t%(skipping %d+ levels%)"))
end
print(run(deep, 25, 3))

print("-- coroutines")
local function f(n)
  if n > 0 then f(n - 1) else coroutine.yield() end
end
local co = coroutine.create(f)
coroutine.resume(co, 2)
print(debug.traceback(co))
print(debug.traceback(co, "with message"))
print(debug.traceback(co, "from level 1", 1))
print(debug.traceback(co, nil, 3))
print(debug.traceback(co, 7) == 7)
coroutine.resume(co)
print(debug.traceback(co))
local failing = coroutine.create(function () local x = nil; return x.y end)
coroutine.resume(failing)
print(debug.traceback(failing, "dead by error"))
print(run(function () return debug.traceback(coroutine.running(), "running") end))
