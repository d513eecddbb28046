-- debug.sethook and debug.gethook: line events of every kind of statement, call, return
-- and tail call events, count events, hooks per coroutine, what a hook sees of the hooked
-- function, and that a hook is not re-entered.

local function trace_lines(code)
  local f = assert(load(code, "=code"))
  local lines = {}
  debug.sethook(function (event, line) lines[#lines + 1] = line end, "l")
  f()
  debug.sethook()
  return table.concat(lines, ",")
end

print("-- line events")
print("if", trace_lines("if\nmath.sin(1)\nthen\n  a=1\nelse\n  a=2\nend\n"))
print("if false", trace_lines("--\nif nil then\n  a=1\nelse\n  a=2\nend\n"))
print("local function", trace_lines("local function foo()\nend\nfoo()\nA = 1\nA = 2\nA = 3\n"))
print("repeat", trace_lines("a=1\nrepeat\n  a=a+1\nuntil a==3\n"))
print("return", trace_lines(" do\n  return\nend\n"))
print("while", trace_lines("local a\na=1\nwhile a<=3 do\n  a=a+1\nend\n"))
print("break", trace_lines("while math.sin(1) do\n  if math.sin(1)\n  then break\n  end\nend\na=1"))
print("numeric for", trace_lines("for i=1,3 do\n  a=i\nend\n"))
print("generic for", trace_lines("for i,v in pairs{'a','b'} do\n  a=tostring(i) .. v\nend\n"))
print("one line for", trace_lines("for i=1,4 do a=1 end"))
print("operands", trace_lines("local b = {10}\na = b[1]\n\n+\n\n\nb[1]\nb = 4\n"))
print("elseif", trace_lines("local x = 2\nif x == 1 then\n  a = 1\nelseif x == 2\nthen\n  a = 2\nend\n"))
print("call args", trace_lines("print(\n1,\n2\n)\n"))
print("function body", trace_lines("local function f(x)\n  local y = x\n  return y\nend\nf(1)\nf(2)\n"))
print("vararg body", trace_lines("local function f(...)\n  local y = ...\n  return y\nend\nf(1)\n"))
print("same line vararg", trace_lines("local function f(...) return ... end\nf(1)\n"))
print("goto", trace_lines("local i = 1\n::top::\ni = i + 1\nif i < 3 then goto top end\n"))
print("empty chunk", trace_lines(""))
_G.a, _G.A = nil, nil

print("-- call and return events")
local events = {}
local function record(e) events[#events + 1] = e end
local function f(x) if x then return x end end
local function g(x) return f(x) end
local function h(x) local r = g(x) return r end
debug.sethook(record, "cr")
h(1)
debug.sethook()
print(table.concat(events, " "))

events = {}
debug.sethook(record, "c")
h(nil)
debug.sethook()
print(table.concat(events, " "))

events = {}
debug.sethook(record, "r")
math.abs(-1)
debug.sethook()
print(table.concat(events, " "))

print("-- what a hook sees")
local seen = {}
debug.sethook(function (event)
  local i = debug.getinfo(2, "nSt")
  local me = debug.getinfo(1, "n")
  seen[#seen + 1] = event .. ":" .. tostring(i.name) .. ":" .. i.what .. ":" .. tostring(i.istailcall)
    .. ":" .. me.namewhat .. ":" .. me.name
end, "cr")
g(1)
debug.sethook()
for _, s in ipairs(seen) do print(s) end

print("-- transfers")
local moved = {}
local on = false
debug.sethook(function (event)
  if not on then return end
  local ar = debug.getinfo(2, "r")
  local vals = {}
  for i = ar.ftransfer, ar.ftransfer + ar.ntransfer - 1 do
    vals[#vals + 1] = tostring(select(2, debug.getlocal(2, i)))
  end
  moved[#moved + 1] = event .. "(" .. ar.ftransfer .. "," .. ar.ntransfer .. "):" .. table.concat(vals, ",")
end, "cr")
on = true; select(2, "a", "b", "c"); on = false
local function two(p, q) return q, p end
on = true; two(1, 2); on = false
local function va(p, ...) return ... end
on = true; va(1, 2, 3); on = false
debug.sethook()
for _, s in ipairs(moved) do print(s) end

print("-- count events")
local n = 0
debug.sethook(function (e) n = n + 1 end, "", 1)
for i = 1, 100 do end
debug.sethook()
print("every instruction", n > 100 and n < 110)
n = 0
debug.sethook(function (e) n = n + 1 end, "", 10)
for i = 1, 1000 do end
debug.sethook()
print("every 10", n)
local count_event
debug.sethook(function (e, l) count_event = e .. ":" .. tostring(l) end, "", 1)
local _ = 1
debug.sethook()
print(count_event)

print("-- gethook")
print(debug.gethook())
local function hk() end
debug.sethook(hk, "crl", 5)
local hf, mask, count = debug.gethook()
debug.sethook()
print(hf == hk, mask, count)
debug.sethook(hk, "lrc")
print(select(2, debug.gethook()))
debug.sethook(hk, "", 0)
print(debug.gethook())
debug.sethook(hk, "x", 3)
print(select(2, debug.gethook()))
debug.sethook(nil, "l")
print(debug.gethook())
print(pcall(debug.sethook, 1, "l"))
print(pcall(debug.sethook, hk))
print(pcall(debug.sethook, hk, "l", "x"))
local mt = getmetatable(debug.getregistry()._HOOKKEY)
print("weak keys", mt.__mode, mt == debug.getregistry()._HOOKKEY)

print("-- hooks are per coroutine")
local co_lines = {}
local co = coroutine.create(function ()
  local x = 1
  coroutine.yield()
  x = 2
  return x
end)
debug.sethook(co, function (e, l) co_lines[#co_lines + 1] = l end, "l")
print("main hook", debug.gethook())
print("co hook", select(2, debug.gethook(co)))
coroutine.resume(co)
coroutine.resume(co)
print(#co_lines > 0, debug.gethook(co) ~= nil)
local inherited = {}
debug.sethook(function (e, l) inherited[#inherited + 1] = l end, "l")
local co2 = coroutine.create(function () local z = 1 end)
local inherited_hook, inherited_mask = debug.gethook(co2)
coroutine.resume(co2)
debug.sethook()
print("inherited", inherited_hook, inherited_mask)

print("-- no re-entry")
local depth, max_depth = 0, 0
debug.sethook(function ()
  depth = depth + 1
  if depth > max_depth then max_depth = depth end
  local function inner() return 1 end
  inner()
  depth = depth - 1
end, "crl")
local _ = math.abs(1)
debug.sethook()
print("max depth", max_depth)

print("-- errors in hooks")
local ok, msg = pcall(function ()
  debug.sethook(function (e, l) debug.sethook() error("hook failed at " .. tostring(l), 0) end, "l")
  local x = 1
end)
print(ok, msg)
ok = pcall(function ()
  debug.sethook(function () debug.sethook() error("once") end, "l")
  local x = 1
end)
print(ok, debug.gethook())
print("hooks after an error", trace_lines("local a = 1\nlocal b = 2\n"))

print("-- yield in a hook")
local co3 = coroutine.create(function ()
  debug.sethook(function () coroutine.yield() end, "l")
  local x = 1
  return "done"
end)
print(coroutine.resume(co3))

print("-- removing the hook inside it")
local calls = 0
debug.sethook(function ()
  calls = calls + 1
  debug.sethook()
end, "l")
local _ = 1
local _ = 2
print("calls", calls, debug.gethook())
