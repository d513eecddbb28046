-- const, close, compile-time constants, _ENV.
local K <const> = 10
local S <const> = "name"
local T <const> = {}
print(K * 2, S, T)
do
  local f <close> = io.open("x")
  print(f)
end
local function g()
  local h <close> = setmetatable({}, {__close = print})
  return print(h)
end
local _ENV = {print = print}
x = 1
print(x)
