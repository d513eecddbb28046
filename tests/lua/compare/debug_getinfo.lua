-- debug.getinfo: every option letter, functions and stack levels, names of how a
-- function was called, source names, and the errors of bad options.

local function keys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks)
  return ks
end

-- Prints the fields of an info table in a stable order; functions and tables by type.
local function show(label, t)
  if t == nil then print(label, "nil") return end
  local parts = {}
  for _, k in ipairs(keys(t)) do
    local v = t[k]
    if type(v) == "function" or type(v) == "table" then v = type(v) end
    parts[#parts + 1] = k .. "=" .. tostring(v)
  end
  print(label, table.concat(parts, " "))
end

local function lua_fn(a, b, c)
  return a
end
local function vararg_fn(a, ...)
  local x = 1
  return x
end

print("-- functions")
show("lua S", debug.getinfo(lua_fn, "S"))
show("lua u", debug.getinfo(lua_fn, "u"))
show("lua l", debug.getinfo(lua_fn, "l"))
show("lua n", debug.getinfo(lua_fn, "n"))
show("lua t", debug.getinfo(lua_fn, "t"))
show("lua r", debug.getinfo(lua_fn, "r"))
show("vararg u", debug.getinfo(vararg_fn, "u"))
show("C S", debug.getinfo(print, "S"))
show("C ul", debug.getinfo(print, "ul"))
show("C L", debug.getinfo(print, "L"))
show("C closure u", debug.getinfo(string.gmatch("a", "a"), "u"))
print("func", debug.getinfo(lua_fn, "f").func == lua_fn, debug.getinfo(print, "f").func == print)
show("default", debug.getinfo(lua_fn))
show("empty options", debug.getinfo(lua_fn, ""))

print("-- active lines")
local function lines_of(f)
  local t = debug.getinfo(f, "L").activelines
  local ls = keys(t)
  return table.concat(ls, ",")
end
print("lua_fn", lines_of(lua_fn))
print("vararg_fn", lines_of(vararg_fn))
print("empty", lines_of(function () end))
print("one line", lines_of(function (a, b, ...) return a end))
print("loaded", lines_of(load("\n\nlocal a = 1\n\nreturn a\n")))

print("-- main chunk")
show("main S", debug.getinfo(load("return 1"), "S"))
local main = debug.getinfo(1, "Su")
print("main", main.what, main.linedefined, main.lastlinedefined, main.nups, main.isvararg, main.nparams)

print("-- levels")
local function level_info()
  local here = debug.getinfo(1, "nSl")
  local caller = debug.getinfo(2, "nSl")
  return here.name, here.namewhat, here.currentline, caller.what, caller.currentline
end
print(level_info())
print(debug.getinfo(0, "n").name, debug.getinfo(0, "S").what)
print("out of range", debug.getinfo(1000), debug.getinfo(-1))
print("out of range beats bad option", debug.getinfo(1000, "X"))
print(pcall(debug.getinfo, print, "X"))
print(pcall(debug.getinfo, 1, ">S"))
print(pcall(debug.getinfo, "x"))
print(pcall(debug.getinfo, {}))
print(pcall(debug.getinfo))
print(pcall(debug.getinfo, 1, {}))

print("-- names")
local function name_of() local i = debug.getinfo(2, "n") return i.name, i.namewhat end
local function who() return name_of() end
local function whoami()
  local i = debug.getinfo(1, "n")
  return i.name, i.namewhat
end
print("local", whoami())
Global_fn = whoami
print("global", Global_fn())
local t = {field = whoami}
print("field", t.field())
function t:method() return whoami() end
print("method", select(1, (function () local i = debug.getinfo(1, "n") return i.name, i.namewhat end)()))
local obj = {}
function obj:m() local i = debug.getinfo(1, "n") return i.name, i.namewhat end
print("method", obj:m())
local up = whoami
print("upvalue", (function () return (up()) end)(), (function () local a, b = up() return b end)())
print("for iterator", (function ()
  for a, b in function () local i = debug.getinfo(1, "n") return i.name, i.namewhat end do
    return a, b
  end
end)())
local mt = {}
local function mm() local i = debug.getinfo(1, "n") return i.namewhat .. ":" .. i.name end
for _, e in ipairs{"__index", "__add", "__sub", "__mul", "__div", "__mod", "__pow", "__unm",
                   "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr", "__bnot",
                   "__concat", "__len", "__eq", "__lt", "__le", "__newindex"} do
  mt[e] = mm
end
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a.x, a + 1, a - 1, a * 1, a / 1, a % 1, a ^ 1, -a, a // 1)
print(a & 1, a | 1, a ~ 1, a << 1, a >> 1, ~a, a .. "s", #a)
print(a == b, a < b, a <= b)
local seen
mt.__newindex = function () seen = debug.getinfo(1, "n") end
a.y = 1
print(seen.namewhat, seen.name)
mt.__call = function () local i = debug.getinfo(1, "n") return i.name, i.namewhat end
print("__call", a())
print("from native", pcall(whoami))
print("anonymous", (function () return debug.getinfo(1, "n").namewhat end)())

print("-- tail calls")
local function tail_target()
  local i = debug.getinfo(1, "nt")
  return i.istailcall, i.name, i.namewhat
end
local function tail_caller() return tail_target() end
print(tail_caller())
print((function () local r = {tail_target()} return r[1] end)())

print("-- sources")
local function src(code, name)
  local f = load(code, name)
  local i = debug.getinfo(f, "S")
  return i.source == code and "(code)" or i.source, i.short_src
end
print(src("x = 1"))
print(src("x = 1\ny = 2"))
print(src(string.rep("x", 44) .. "=1"))
print(src(string.rep("x", 45) .. "=1"))
print(src(string.rep("x", 100) .. "=1"))
print(src("x=1", "=custom"))
print(src("x=1", "=" .. string.rep("n", 70)))
print(src("x=1", "@file.lua"))
print(src("x=1", "@" .. string.rep("d", 57) .. ".lua"))
print(src("x=1", "@" .. string.rep("d", 56) .. ".lua"))
print(src("x=1", "@" .. string.rep("d", 70) .. ".lua"))
print(src("x=1", ""))
print(src("\nx=1"))
print(src("x=1", "="))
print(src("x=1", "@"))

print("-- coroutines")
local co = coroutine.create(function (x)
  local y = x + 1
  coroutine.yield(y)
  return y
end)
coroutine.resume(co, 10)
show("co level 0", debug.getinfo(co, 0, "Sln"))
show("co level 1", debug.getinfo(co, 1, "Sl"))
print("co level 2", debug.getinfo(co, 2))
print("co function", debug.getinfo(co, print, "S").what)
coroutine.resume(co)
print("dead", debug.getinfo(co, 0))
