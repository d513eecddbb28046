-- Every operator applied to a grid of operands: integers and floats of both signs, zero,
-- huge values, infinities, numeric strings, and non-numbers. Results are printed with
-- their subtype; errors are printed as messages. NaN is shown as "NaN" because its sign
-- in tostring is platform dependent.

local function show(v)
  if type(v) == "number" then
    if v ~= v then return "NaN" end
    return tostring(v)
  elseif type(v) == "string" then
    return '"' .. v .. '"'
  end
  return tostring(v)
end

local function try(f, ...)
  local ok, r = pcall(f, ...)
  if ok then return show(r) end
  return "error: " .. tostring(r)
end

local values = {0, 1, -1, 7, -7, 2, -2, 3, 0.0, -0.0, 0.5, -2.5, 7.5, 1e15, 2^53,
  9223372036854775807, -9223372036854775807 - 1, 1/0, -1/0, "10", "0x10", "2.5", " 3 ", "abc"}

local binary = {
  {"+", function(a, b) return a + b end},
  {"-", function(a, b) return a - b end},
  {"*", function(a, b) return a * b end},
  {"/", function(a, b) return a / b end},
  {"//", function(a, b) return a // b end},
  {"%", function(a, b) return a % b end},
  {"^", function(a, b) return a ^ b end},
  {"&", function(a, b) return a & b end},
  {"|", function(a, b) return a | b end},
  {"~", function(a, b) return a ~ b end},
  {"<<", function(a, b) return a << b end},
  {">>", function(a, b) return a >> b end},
  {"==", function(a, b) return a == b end},
  {"~=", function(a, b) return a ~= b end},
  {"<", function(a, b) return a < b end},
  {"<=", function(a, b) return a <= b end},
  {">", function(a, b) return a > b end},
  {">=", function(a, b) return a >= b end},
  {"..", function(a, b) return a .. b end},
}

for _, op in ipairs(binary) do
  print("== operator " .. op[1])
  for i = 1, #values do
    local line = show(values[i]) .. " " .. op[1] .. ":"
    for j = 1, #values do
      line = line .. " " .. try(op[2], values[i], values[j])
    end
    print(line)
  end
end

print("== unary operators")
for i = 1, #values do
  local v = values[i]
  print(show(v), try(function() return -v end), try(function() return ~v end),
    try(function() return not v end), try(function() return #v end))
end

print("== shifts by large amounts")
for _, s in ipairs({-65, -64, -63, -1, 0, 1, 62, 63, 64, 65}) do
  print(s, 1 << s, -1 << s, 1 >> s, -1 >> s, 0x5555555555555555 >> s)
end

print("== non-number operands")
local others = {nil, true, {}, print}
for i = 1, 4 do
  local o = others[i]
  print(type(o), try(function() return o + 1 end), try(function() return 1 < o end),
    try(function() return o .. "" end), try(function() return #o end), try(function() return o == o end))
end

print("== logical operators")
local logicals = {false, nil, 0, "", "x"}
for i = 1, 5 do
  for j = 1, 5 do
    local a, b = logicals[i], logicals[j]
    print(show(a), show(b), show(a and b), show(a or b), show(not a))
  end
end

print("== length")
print(#"", #"abc", #"\0\0", #{}, #{1, 2, 3}, #{n = 1}, #{{}, {}})

print("== integer overflow and conversions")
print(9223372036854775807 + 1, -9223372036854775807 - 1 - 1, 9223372036854775807 * 3)
print(9223372036854775807 // -1, (-9223372036854775807 - 1) // -1, (-9223372036854775807 - 1) % -1)
print(5 // 0.0, -5 // 0.0, 5 % (1/0), -5 % (1/0), 2^1024, 2^-1074 > 0, 2^-1075 == 0)
print(3 | 0, 3.0 | 0, "" .. 1e15, "" .. 1e16, "" .. 123456789012345678)
