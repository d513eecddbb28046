-- strings_stdlib (optional): string work through the string and table libraries.
-- Measures: table.concat of a buffer, string.format with %d/%s/%5.2f,
-- string.rep, string.sub, string.byte/char, string.find with a plain pattern,
-- string.gsub with a pattern, string.upper. Optional: needs the string and
-- table libraries, so the runner excludes it from the core geometric mean.
-- expect: strings_stdlib 38950098
local N = tonumber(arg and arg[1]) or 100000

local concat, format, rep = table.concat, string.format, string.rep
local sub, byte, char, find, gsub, upper = string.sub, string.byte, string.char,
  string.find, string.gsub, string.upper

local total = 0
for i = 1, N do
  local buf = {}
  for j = 1, 20 do
    buf[j] = format("%d:%s", j, "v")
  end
  local s = concat(buf, ",")
  local f = format("%5.2f|%s|%d", i / 8, s, i)
  total = total + #f
  local r = rep("ab", i % 20 + 1, "-")
  total = total + #r + byte(r, 1) + #char(65 + i % 26, 66)
  total = total + #sub(s, 3, 14) + (find(s, "10:v", 1, true) or 0)
  local g, n = gsub(s, "%d+", "#")
  total = total + #g + n + #upper(sub(f, 1, 8))
end

print("strings_stdlib", total)
