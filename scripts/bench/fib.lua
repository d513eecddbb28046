-- fib: naive doubly-recursive Fibonacci.
-- Measures: Lua-to-Lua call and return, integer compare/add, local/global access.
-- Base library only; valid Lua 5.1 .. 5.4 and LuaJIT.
-- expect: fib 36 14930352
local N = tonumber(arg and arg[1]) or 36

local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end

print("fib", N, fib(N))
