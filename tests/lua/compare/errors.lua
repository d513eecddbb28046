-- A catalogue of runtime errors caught with pcall, printed as messages: every kind of
-- operation on wrong types with each kind of variable name (local, global, upvalue,
-- field, method, constant), error values of every type, levels, and nested handlers.

local function show(ok, ...)
  local s = tostring(ok)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    local tv = type(v)
    s = s .. " | " .. ((tv == "table" or tv == "function" or tv == "thread") and tv or tostring(v))
  end
  print(s)
end

local values = {nil, true, 1, 2.5, "str", {}, print, coroutine.create(print)}
local names = {"nil", "boolean", "integer", "float", "string", "table", "function", "thread"}
for i = 1, 8 do
  local v = values[i]
  print("-- operand " .. names[i])
  show(pcall(function() return v.field end))
  show(pcall(function() v.field = 1 end))
  show(pcall(function() return v() end))
  show(pcall(function() return v + 1 end))
  show(pcall(function() return v & 1 end))
  show(pcall(function() return v .. "" end))
  show(pcall(function() return #v end))
  show(pcall(function() return -v end))
  show(pcall(function() return v < 1 end))
  show(pcall(function() return v < v end))
end

print("-- names")
local t = {sub = {}}
glob = nil
show(pcall(function() return glob.x end))
show(pcall(function() return t.sub.deeper.x end))
show(pcall(function() return t.sub:method() end))
show(pcall(function() return t["sub"]["k"].x end))
show(pcall(function() local k = "dyn"; return t[k].x end))
show(pcall(function() return ("const").x.y end))
show(pcall(function() return (1).x end))
show(pcall(function() local a = {}; return a.b.c.d end))
show(pcall(function() return t.sub + t.sub end))
show(pcall(function() return math_lib_is_absent.floor(1) end))

print("-- error values")
show(pcall(error))
show(pcall(error, nil))
show(pcall(error, false))
show(pcall(error, 0))
show(pcall(error, 1.5))
show(pcall(error, "msg"))
show(pcall(error, "msg", 0))
show(pcall(error, {}))
show(pcall(error, print))
local function lvl(n) error("at level " .. n, n) end
local function call_lvl(n) lvl(n) end
for n = 0, 3 do show(pcall(call_lvl, n)) end

print("-- handlers")
show(xpcall(function() error("E1") end, function(m) return "handled " .. m end))
show(xpcall(function() error({}) end, function(m) return type(m) end))
show(xpcall(function() return "no error", 2 end, error))
show(xpcall(function() error("E2") end, function(m) error("handler fails") end))
show(pcall(pcall, error, "inner"))
show(pcall(xpcall, error, function(m) return "H(" .. tostring(m) .. ")" end, "arg"))
show(select(2, xpcall(function()
  local ok, e = pcall(error, "deep", 0)
  error("rethrown " .. e, 0)
end, function(m) return "outer saw: " .. m end)))

print("-- library argument errors")
show(pcall(setmetatable, 1, {}))
show(pcall(setmetatable, {}, 1))
show(pcall(getmetatable))
show(pcall(rawset, 1, 2, 3))
show(pcall(rawget, {}))
show(pcall(next, {}, 1))
show(pcall(select, 0))
show(pcall(tonumber, "1", 99))
show(pcall(tonumber, {}, 10))
show(pcall(load, 1))
show(pcall(coroutine.resume, {}))
show(pcall(coroutine.wrap(function() end)))
show(pcall(collectgarbage, "bogus"))
show(pcall(ipairs))
show(pcall(string_lib_absent))
