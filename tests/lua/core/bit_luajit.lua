-- The bit module against LuaJIT: every case below was run by LuaJIT 2.1 and its results are
-- in bit_luajit.expected, one per line. Regenerate them with
--   luajit bit_luajit.lua --generate > bit_luajit.expected
-- (the same loops run under both; only the results are compared).

local inputs = {
  0, 1, -1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 255, 256, 0x7f, 0x80, 0xff, 0x100,
  0x7fff, 0x8000, 0xffff, 0x10000, 0x12345678, 0x87654321, 0xdeadbeef, 0x7fffffff,
  0x80000000, 0xffffffff, 0x100000000, 0x100000001, -0x80000000, -0x80000001, -0xffffffff,
  2^40 + 7, -(2^40) + 3, 2^50 - 1, 2^51 - 1, 2^51, 2^51 + 1, 2^52, 2^52 + 1, 2^53, 2^60 + 3,
  2^63, -2^63, 2^64, 1e15, 1e16, 1e300, -1e300, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.7, -3.7,
  0.49999999999999994, 1e-300, -0.0, 1/0, -1/0, 0/0, math.pi, -math.pi * 1e9, 4294967295.5,
  4294967296.5, 2147483647.5, 2147483648.5, -2147483648.5, 123456789.25, -987654321.75,
  "10", "0x10", " 12 ", "1e3", "-7", "4294967296", "0xdeadbeef", "2.5",
}
local counts = {
  0, 1, 2, 4, 7, 8, 15, 16, 17, 24, 31, 32, 33, 63, 64, -1, -8, -31, -32, -33, 1.5, 2.5, 2^32 + 3,
  -2^31, 2^31, "3",
}
local digits = { 0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 64, 200, 253, 254, 255, 256, 257, 300, 511, 512,
  -1, -2, -8, -9, -16, -17, -254, -255, -300, 2^31, -2^31, 2^32 + 5, 1.5, -0.5, "4" }

local results = {}
local function case(label, ...)
  local ok, r = pcall(...)
  results[#results + 1] = label .. "\t" .. (ok and tostring(r) or "error")
end

for i, x in ipairs(inputs) do
  case("tobit " .. i, bit.tobit, x)
  case("bnot " .. i, bit.bnot, x)
  case("bswap " .. i, bit.bswap, x)
  case("tohex " .. i, bit.tohex, x)
  case("band1 " .. i, bit.band, x)
  for j, n in ipairs(counts) do
    for _, f in ipairs({ "lshift", "rshift", "arshift", "rol", "ror" }) do
      case(f .. " " .. i .. " " .. j, bit[f], x, n)
    end
  end
end
for i, x in ipairs({ 0x12345678, -1, 0xabcdef, 0, 0x87654321, 2^40 + 0xfedcba, -2.5, "255" }) do
  for j, n in ipairs(digits) do
    case("tohex " .. i .. " " .. j, bit.tohex, x, n)
  end
end
for i = 1, #inputs, 2 do
  for j = 2, #inputs, 3 do
    local a, b = inputs[i], inputs[j]
    case("band " .. i .. " " .. j, bit.band, a, b)
    case("bor " .. i .. " " .. j, bit.bor, a, b)
    case("bxor " .. i .. " " .. j, bit.bxor, a, b)
  end
end
local unpack = table.unpack or unpack
for i = 1, #inputs - 4 do
  local a, b, c, d, e = unpack(inputs, i, i + 4)
  case("band5 " .. i, bit.band, a, b, c, d, e)
  case("bor5 " .. i, bit.bor, a, b, c, d, e)
  case("bxor5 " .. i, bit.bxor, a, b, c, d, e)
end
for i, bad in ipairs({ {}, true, "x", "0x", print }) do
  case("bad tobit " .. i, bit.tobit, bad)
  case("bad band " .. i, bit.band, 1, bad)
  case("bad lshift " .. i, bit.lshift, 1, bad)
end
case("no args band", bit.band)
case("no count lshift", bit.lshift, 1)
case("no args tohex", bit.tohex)

if arg and arg[1] == "--generate" then
  io.write(table.concat(results, "\n"), "\n")
  return
end

local expected = {}
for line in io.lines("bit_luajit.expected") do expected[#expected + 1] = line end
local mismatches = 0
for n, got in ipairs(results) do
  if got ~= expected[n] then
    mismatches = mismatches + 1
    if mismatches <= 10 then print("rivet: " .. got .. "  luajit: " .. tostring(expected[n])) end
  end
end
print(#results == #expected, mismatches, #results > 5000)
-- expect: true\t0\ttrue
print(bit == require("bit"), package.loaded.bit == bit)
-- expect: true\ttrue
