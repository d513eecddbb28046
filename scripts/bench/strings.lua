-- strings: string building with the .. operator, base library only
-- (no string.*, no table.concat).
-- Measures: concatenation of short strings and of numbers (number-to-string
-- coercion), multi-operand concatenation (a .. b .. c in one CONCAT),
-- the length operator on strings, string equality and ordering, and strings
-- as table keys (interning / hashing of freshly built strings).
-- expect: strings 17053713 7000 399995
local N = tonumber(arg and arg[1]) or 400000

local total = 0
local seen = {}
local distinct = 0
local prev = ""
local ordered = 0

for i = 1, N do
  -- build a line piece by piece: a repeated short append
  local s = ""
  for j = 1, 12 do
    s = s .. j .. ","
  end
  -- multi-operand concatenation with a number coerced in the middle
  local line = "item[" .. i .. "]=" .. s .. ";" .. (i % 97)
  total = total + #line
  -- freshly built strings as table keys (hashing, interning)
  local key = "k" .. (i % 1000) .. "_" .. (i % 7)
  if not seen[key] then
    seen[key] = true
    distinct = distinct + 1
  end
  -- comparison of built strings
  if line > prev then ordered = ordered + 1 end
  if key == "k0_0" then total = total + 1 end
  prev = line
end

-- one long string grown by repeated append (quadratic copying, bounded size)
local long = ""
for i = 1, 3000 do
  long = long .. "x" .. (i % 10)
end
total = total + #long

print("strings", total, distinct, ordered)
