-- The same loops as calls.lua through a hand-written Lua 5.4 C API binding (lua_binding.c).
-- Usage: lua5.4 calls_luabind.lua N   (with luabind.so on package.cpath)
local b = require("luabind")
local n = tonumber(arg[1] or "10000000")

local function bench(name, f)
  local t = os.clock()
  local check = f()
  print(string.format("%s %.2f %s", name, (os.clock() - t) * 1e9 / n, tostring(check)))
end

bench("add", function()
  local add, s = b.add, 0
  for _ = 1, n do s = add(s, 1) end
  return s
end)
bench("fadd", function()
  local fadd, d = b.fadd, 0
  for _ = 1, n do d = fadd(d, 1) end
  return d
end)
bench("sum6", function()
  local sum6, q = b.sum6, 0
  for _ = 1, n do q = sum6(q, 1, 2, 3, 4, 5) end
  return q
end)
bench("struct", function()
  local vscale, v = b.vscale, b.vnew(1, 2, 3)
  for _ = 1, n do v = vscale(v, 1) end
  return b.vtag(v)
end)
