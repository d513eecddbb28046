-- debug.getupvalue, setupvalue, upvalueid and upvaluejoin on Lua closures, native closures
-- and plain native functions, with Lua's argument checks.

local a, b, c = 1, 2, 3
local function f1(x) b = x; return c end
local function f2(x) a = x; return c + b end

local function list(f)
  local out = {}
  for i = 1, 10 do
    local n, v = debug.getupvalue(f, i)
    if not n then break end
    out[#out + 1] = n .. "=" .. tostring(v)
  end
  return table.concat(out, " ")
end

print("f1", list(f1))
print("f2", list(f2))
print("out of range", debug.getupvalue(f1, 3), debug.getupvalue(f1, 0), debug.getupvalue(f1, -1))
print("count", select("#", debug.getupvalue(f1, 3)))
print("set", debug.setupvalue(f1, 1, "new b"), b, select("#", debug.setupvalue(f1, 5, 0)))
print("shared", select(2, debug.getupvalue(f2, 3)))
print("main _ENV", debug.getupvalue(load("return x"), 1) , type(select(2, debug.getupvalue(load("return x"), 1))))

print("-- native functions")
local it = string.gmatch("a b", "%a")
print("gmatch", debug.getupvalue(it, 1))
print("gmatch 4", debug.getupvalue(it, 4))
print("print", debug.getupvalue(print, 1))
print("set native", debug.setupvalue(it, 2, "(%a)"), it())

print("-- errors")
print(pcall(debug.getupvalue, 1, 1))
print(pcall(debug.getupvalue, f1))
print(pcall(debug.getupvalue, f1, "x"))
print(pcall(debug.setupvalue, f1, 1))
print(pcall(debug.setupvalue, {}, 1, 1))

print("-- ids")
local function g1() return a end
local function g2() return a, b end
print("same variable", debug.upvalueid(g1, 1) == debug.upvalueid(g2, 1))
print("different", debug.upvalueid(g1, 1) == debug.upvalueid(g2, 2))
print("type", type(debug.upvalueid(g1, 1)))
print("missing", debug.upvalueid(g1, 2), debug.upvalueid(g1, 0), debug.upvalueid(print, 1))
print("native", type(debug.upvalueid(it, 1)), debug.upvalueid(it, 1) == debug.upvalueid(it, 2))
print(pcall(debug.upvalueid, g1))
print(pcall(debug.upvalueid, 1, 1))

print("-- join")
local x, y = "x", "y"
local function gx() return x end
local function gy() return y end
debug.upvaluejoin(gx, 1, gy, 1)
print(gx(), gy(), debug.upvalueid(gx, 1) == debug.upvalueid(gy, 1))
y = "y2"
print(gx())
debug.setupvalue(gx, 1, "via gx")
print(gy(), y)
print(pcall(debug.upvaluejoin, gx, 2, gy, 1))
print(pcall(debug.upvaluejoin, gx, 1, gy, 2))
print(pcall(debug.upvaluejoin, print, 1, gy, 1))
print(pcall(debug.upvaluejoin, it, 1, gy, 1))
print(pcall(debug.upvaluejoin, gx, 1, it, 1))
print(pcall(debug.upvaluejoin, gx, 1, {}, 1))
print(pcall(debug.upvaluejoin, gx))
