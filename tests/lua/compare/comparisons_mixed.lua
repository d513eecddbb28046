-- Order comparisons (< <= > >=) between every pair of integers, floats (NaN, infinities,
-- values beyond 2^53 and 2^63) and strings, with errors: the dispatch loop's fast paths
-- (integer/float mixes included) must agree with lua5.4 exactly.
local vals = {1, 2, -1, 0, 0.5, -0.5, 2.0, 1/0, -1/0, 0/0, 9007199254740993, 9007199254740992.0, math.maxinteger, math.mininteger, 2^63, -2^63, "a", "b"}
local out = {}
for _, a in ipairs(vals) do for _, b in ipairs(vals) do
  local ok1, r1 = pcall(function() return a < b end)
  local ok2, r2 = pcall(function() return a <= b end)
  local ok3, r3 = pcall(function() return a > b end)
  local ok4, r4 = pcall(function() return a >= b end)
  out[#out+1] = string.format("%s %s: %s %s %s %s %s %s %s %s", tostring(a), tostring(b), ok1, tostring(r1):gsub("^.*:%d+: ", ""), ok2, tostring(r2):gsub("^.*:%d+: ", ""), ok3, tostring(r3):gsub("^.*:%d+: ", ""), ok4, tostring(r4):gsub("^.*:%d+: ", ""))
end end
print(table.concat(out, "\n"))
