-- A wrapped coroutine that dies by an error closes its pending variables; an error raised by
-- a `__close` replaces the coroutine's error, and is what the caller of the wrapper gets.
local function closer(f) return setmetatable({}, {__close = f}) end
local count = 0
local co = coroutine.wrap(function()
  local first <close> = closer(function(_, msg)
    count = count + 1
    print("first closed with", msg)
    error("from first")
  end)
  local second <close> = closer(function(_, msg)
    count = count + 1
    print("second closed with", msg)
    error("from second")
  end)
  coroutine.yield(100)
  error(200)
end)
print(co(), count)
print(pcall(co))
print(count)

-- Without an error in a `__close`, the coroutine's own error comes through.
local quiet = coroutine.wrap(function()
  local v <close> = closer(function(_, msg) print("closed with", msg.code) end)
  error({code = 7})
end)
local ok, e = pcall(quiet)
print(ok, type(e), e.code)
