-- Inside a coroutine, the `__close` handlers that a pcall runs after an error may yield, as
-- those run by a normal return may; an error in one replaces the error the next ones see.
local function closer(f) return setmetatable({}, {__close = f}) end
local function run(err)
  local co = coroutine.wrap(function()
    local function body()
      local z <close> = closer(function(_, msg)
        coroutine.yield("z got " .. tostring(msg))
      end)
      local y <close> = closer(function(_, msg)
        coroutine.yield("y got " .. tostring(msg))
        if err then error(err + 20, 0) end
      end)
      local x <close> = closer(function(_, msg)
        coroutine.yield("x got " .. tostring(msg))
      end)
      if err == 10 then error(err, 0) end
      return "returned"
    end
    return pcall(body)
  end)
  for _ = 1, 4 do print(err, co()) end
end
run(nil)
run(1)
run(10)
