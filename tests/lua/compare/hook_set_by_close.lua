-- A return hook set by a `__close` handler while a function returns still sees that function's
-- return (its to-be-closed variables are closed before the return event).
local function closer(f) return setmetatable({}, {__close = f}) end
local trace = {}
local function hook(event)
  trace[#trace + 1] = event .. " " .. tostring(debug.getinfo(2).name)
end
local function foo(...)
  local x <close> = closer(function() trace[#trace + 1] = "x" end)
  local y <close> = closer(function() debug.sethook(hook, "r") end)
  return ...
end
local t = {foo(10, 20, 30)}
debug.sethook()
print(table.unpack(t))
print(table.concat(trace, ", "))
