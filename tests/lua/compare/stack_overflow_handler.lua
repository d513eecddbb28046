-- A stack overflow leaves room for its handling, as Lua's extra error stack does: the message
-- handler of xpcall runs (calls functions, declares to-be-closed variables) at the point of the
-- overflow; overflowing again inside the handler is "error in error handling"; once the
-- protected call has recovered, the whole stack and the margin are available again.
local function overflow(n) return 1 + overflow(n + 1) end
local function closer(f) return setmetatable({}, {__close = f}) end

print(xpcall(overflow, function(m) return "handled: " .. tostring(m):match("stack overflow") end, 0))
print(xpcall(overflow, function() return overflow(0) end, 0))
print(xpcall(overflow, function(m) return "again: " .. tostring(m):match("stack overflow") end, 0))

local depth = 0
local function deep(n) depth = n; if n < 150000 then return 1 + deep(n + 1) end return 0 end
print(pcall(deep, 1), depth)

-- A to-be-closed variable in the handler, and one down the stack of a coroutine.
local flag, st, obj
coroutine.wrap(function()
  local y <close> = closer(function(o, err) flag = {err = err} end)
  st, obj = xpcall(overflow, function(m)
    assert(m:find("stack overflow"))
    local x <close> = closer(function(o) o[1] = 10 end)
    return x
  end, 0)
end)()
print(st, obj[1], flag.err)
