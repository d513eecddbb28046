-- Regenerate the tables (run from this directory): lua5.4 gen_arith.lua
-- Every file: one case per line, space-separated; integers in decimal, floats as "f:" and
-- their IEEE-754 bits in hex, "-" for an error or no result. Produced by lua5.4 (5.4.4, glibc).
local function fbits(v) return string.format("f:%016x", string.unpack("<i8", string.pack("<d", v))) end
local function num(v) if math.type(v) == "integer" then return string.format("%d", v) else return fbits(v) end end
local function opt(v) if v == nil then return "-" end return num(v) end
local function try(f) local ok, v = pcall(f) if ok then return num(v) end return "-" end
local function open(name, header)
  local f = assert(io.open(name, "w"))
  f:write("# ", header, "\n")
  return f
end

local ints = {0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, math.maxinteger, math.mininteger, math.maxinteger - 1,
  math.mininteger + 1, 123456789, -987654321}
local f = open("int_ops.txt", "a b a//b a%b a+b a-b a*b (errors as -)")
for _, a in ipairs(ints) do for _, b in ipairs(ints) do
  f:write(num(a), " ", num(b), " ", try(function() return a // b end), " ", try(function() return a % b end), " ",
    num(a + b), " ", num(a - b), " ", num(a * b), "\n")
end end
f:close()

local flts = {0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0, 5.5, -5.5, 0.5, -0.5, 7.0, -7.0, 0.1, 1e308, -1e308, 5e-324,
  2^53, 1/0, -1/0, 0/0, -(0/0)}
f = open("float_ops.txt", "a b a/b a//b a%b a^b")
for _, a in ipairs(flts) do for _, b in ipairs(flts) do
  f:write(num(a), " ", num(b), " ", num(a / b), " ", num(a // b), " ", num(a % b), " ", num(a ^ b), "\n")
end end
f:close()

local xs = {0, 1, -1, 5, math.mininteger, math.maxinteger, 0x0123456789abcdef}
local ns = {0, 1, -1, 3, -3, 31, 32, 63, -63, 64, -64, 65, -65, 1000, -1000, math.maxinteger, math.mininteger}
f = open("shifts.txt", "x n x<<n x>>n")
for _, x in ipairs(xs) do for _, n in ipairs(ns) do
  f:write(num(x), " ", num(n), " ", num(x << n), " ", num(x >> n), "\n")
end end
f:close()

local cv = {0.0, -0.0, 1.0, 1.5, -1.5, 2.5, -2.5, 0.5, -0.5, 2^53, 2^53 + 2, 2^62, 2^63, -2^63, -2^63 - 2048,
  2^63 - 1024, 2^64, 1e300, -1e300, 1/0, -1/0, 0/0, -(0/0), -9223372036854775807.5, 0.99999999999999989,
  -0.99999999999999989, 5e-324, -5e-324, 4503599627370495.5, -4503599627370495.5, 9223372036854774784.5}
f = open("float_to_int.txt", "f math.tointeger(f) floor(f) ceil(f) (as integers, - if out of range)")
for _, x in ipairs(cv) do
  f:write(num(x), " ", opt(math.tointeger(x)), " ", opt(math.tointeger(math.floor(x))), " ",
    opt(math.tointeger(math.ceil(x))), "\n")
end
f:close()

local nums = {0, 1, -1, 0.0, -0.0, 1.0, 0.5, -0.5, 2^53, math.tointeger(2^53), math.tointeger(2^53) + 1, 2^53 + 2,
  math.tointeger(2^53) + 2, math.maxinteger, math.mininteger, math.maxinteger - 1, 2^63, -2^63, 2^63 - 1024,
  math.mininteger + 1, 1/0, -1/0, 0/0, -(0/0), -(2^53), math.tointeger(-(2^53)) - 1, -(2^53) - 2, 1e300, -1e300,
  3, 3.0000000000000004, 2.9999999999999996, -3, -3.0000000000000004, -2.9999999999999996, 9223372036854774784,
  9223372036854774785, -9223372036854774784, -9223372036854774785}
f = open("compare.txt", "a b a<b a<=b a==b (1 true, 0 false)")
local function b(x) return x and "1" or "0" end
for _, x in ipairs(nums) do for _, y in ipairs(nums) do
  f:write(num(x), " ", num(y), " ", b(x < y), " ", b(x <= y), " ", b(x == y), "\n")
end end
f:close()

-- Numeric for loops: operands as above, "s:text" for a string, "t" for a table; then either
-- "err:<message without position>" or the first 6 control values and "+" when there are more.
local M, m = math.maxinteger, math.mininteger
local loops = {
  {1, 3, 1}, {1, 0, 1}, {3, 1, -1}, {1, 3, 2}, {1, 4, 2}, {1, 1, 1}, {1, 2.5, 1}, {1, -2.5, -1}, {-1, -2.5, -1},
  {1, -0.5, 1}, {-1, -0.5, -1}, {0, -0.5, -1}, {0, 0.5, 1}, {M - 2, M, 1}, {m + 2, m, -1}, {m, M, M}, {M, m, m},
  {m, M, 1}, {M, m, -1}, {M, M, 1}, {M, M, M}, {m, m, -1}, {m, m, m}, {M - 1, 2^63, 1}, {M - 1, 1e100, 2},
  {m + 1, -2^63 - 4096, -1}, {m, -2^63 - 4096, -1}, {5, 2^63, -1}, {5, -2^63 - 4096, 1}, {1, 1e100, -1},
  {1, -1e100, -1}, {0, 1/0, 1}, {0, -1/0, -1}, {0, 1/0, -1}, {0, 0/0, 1}, {1, 0/0, -1}, {1, 2, 0}, {1.0, 2, 0},
  {1, 2, 0.0}, {1, 3, 0.5}, {0.1, 0.35, 0.1}, {1.0, 3, 1}, {3, 1, -0.5}, {1, 1/0, 1/0}, {1, 0/0, 1.0},
  {0.5, 0/0, -1.0}, {1, 3, "1"}, {"1", 2, 1}, {1, "2.5", 1}, {1, "0x10", 5}, {1, " 3 ", 1}, {1, "x", 1}, {{}, 2, 1},
  {1, {}, 1}, {1, 2, {}}, {{}, {}, {}}, {1, {}, 0}, {1.0, {}, 0}, {"x", 2, 1}, {1, 2, "0"}, {1, "1e100", M},
  {M, 9.2233720368547748e18, -1}, {-3, -1, 1.5}, {2^53, 2^53 + 4, 1}, {2^53, 2^53 + 4, 1.0}, {-0.0, 0, 1},
  {1e308, 1/0, 1e308}, {m, m + 5, 2}, {0, 10, 3}, {10, 0, -3}, {0, 2^53, 2^52},
}
local function operand(v)
  local t = type(v)
  if t == "number" then return num(v) elseif t == "string" then return "s:" .. v:gsub(" ", "_") else return "t" end
end
f = open("for_loops.txt", "init limit step | result (strings use _ for a space)")
for _, c in ipairs(loops) do
  local init, limit, step = c[1], c[2], c[3]
  local values = {}
  local ok, err = pcall(function()
    for i = init, limit, step do
      if #values == 6 then values[7] = "+" break end
      values[#values + 1] = num(i)
    end
  end)
  f:write(operand(init), " ", operand(limit), " ", operand(step), " |")
  if ok then
    for _, v in ipairs(values) do f:write(" ", v) end
  else
    f:write(" err:", (err:gsub("^[^:]*:%d+: ", ""):gsub(" ", "_")))
  end
  f:write("\n")
end
f:close()
