-- debug.getmetatable and debug.setmetatable on values of every type, bypassing
-- __metatable; debug.getregistry; debug.getuservalue and debug.setuservalue on values
-- without user values; debug.setcstacklimit.

print("-- metatables")
local protected = setmetatable({}, {__metatable = "locked", __index = {x = 1}})
print(getmetatable(protected), type(debug.getmetatable(protected)), debug.getmetatable(protected).__metatable)
print(pcall(setmetatable, protected, {}))
print(debug.setmetatable(protected, nil) == protected, getmetatable(protected), protected.x)
print(debug.getmetatable("s").__index == string, debug.getmetatable(1), debug.getmetatable(nil))

local mt = {__index = function (v, k) return type(v) .. "." .. k end, __len = function () return 42 end}
print(debug.setmetatable(10, mt))
print((5).field, (2.5).other, #3)
debug.setmetatable(10, nil)
print(pcall(function () return (5).field end))

debug.setmetatable(nil, {__index = function (_, k) return "nil has " .. k end})
print((nil).anything)
debug.setmetatable(nil, nil)

debug.setmetatable(true, {__tostring = function (b) return b and "yes" or "no" end})
print(tostring(true), tostring(false))
debug.setmetatable(false, nil)
print(tostring(true))

debug.setmetatable(print, {__index = {kind = "function"}})
print(print.kind, (function () end).kind)
debug.setmetatable(print, nil)

local co = coroutine.create(print)
debug.setmetatable(co, {__index = {kind = "thread"}})
print(co.kind)
debug.setmetatable(co, nil)

local gc_ran = false
debug.setmetatable({}, {__gc = function () gc_ran = true end})
collectgarbage()
collectgarbage()
print("finalizer", gc_ran)

print(pcall(debug.setmetatable, {}, 1))
print(pcall(debug.setmetatable, {}))
print(pcall(debug.getmetatable))

print("-- registry")
local reg = debug.getregistry()
print(type(reg), reg == debug.getregistry(), type(reg[1]), reg[2] == _G)

print("-- user values")
print(debug.getuservalue(io.stdout))
print(select("#", debug.getuservalue(io.stdout, 1)))
print(debug.getuservalue(io.stdout, 0), debug.getuservalue(io.stdout, 10))
print(debug.getuservalue({}), debug.getuservalue(1), debug.getuservalue(nil, 2))
print(debug.setuservalue(io.stdout, 10))
print(debug.setuservalue(io.stdout, 10, 2))
print(pcall(debug.setuservalue, {}, 1))
print(pcall(debug.setuservalue, io.stdout))
print(pcall(debug.setuservalue, debug.upvalueid(function () return print end, 1), {}))
print(pcall(debug.getuservalue, io.stdout, "x"))

print("-- setcstacklimit")
print(debug.setcstacklimit(100))
print(pcall(debug.setcstacklimit))
