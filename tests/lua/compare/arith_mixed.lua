-- Arithmetic on every pair of number kinds (integers, floats, zeros, infinities, huge
-- integers) for + - * / % // ^, results and errors: the dispatch loop's fast paths and the
-- general path must agree with lua5.4 exactly.
local vals = {5, -5, 2, 0, 2.0, -2.5, 0.0, 1/0, -1/0, 3, 7.5, math.huge, -0.0, 9007199254740993, math.mininteger}
local ops = {
  function(a,b) return a+b end, function(a,b) return a-b end, function(a,b) return a*b end,
  function(a,b) return a/b end, function(a,b) return a%b end, function(a,b) return a//b end,
  function(a,b) return a^b end,
}
local out = {}
for _, a in ipairs(vals) do for _, b in ipairs(vals) do for k, f in ipairs(ops) do
  local ok, r = pcall(f, a, b)
  out[#out+1] = string.format("%s %s %d %s %s", tostring(a), tostring(b), k, tostring(ok), ok and (math.type(r) .. ":" .. string.format("%.17g", r)) or r)
end end end
-- constant forms
local x, y = 7, 2.5
out[#out+1] = tostring(x % 3) .. tostring(x // 2) .. tostring(x / 2) .. tostring(x ^ 2) .. tostring(y % 2) .. tostring(y // 2) .. tostring(x % 2.5) .. tostring(2 ^ x)
print(table.concat(out, "\n"))
