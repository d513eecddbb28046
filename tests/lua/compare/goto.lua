-- goto: continue in every loop kind, nested continues, breaking out of several loops,
-- backward jumps forming loops, a state machine, and redo-style retries.

-- continue in nested loops
for i = 1, 4 do
  local line = ""
  for j = 1, 6 do
    if (i + j) % 3 == 0 then goto continue_inner end
    line = line .. j
    ::continue_inner::
  end
  if i == 2 then goto continue_outer end
  print("row", i, line)
  ::continue_outer::
end

-- continue in while/repeat with locals declared after the goto
local i = 0
while i < 10 do
  i = i + 1
  if i % 2 == 1 then goto cont end
  do
    local sq = i * i
    print("even", i, sq)
  end
  ::cont::
end

-- breaking out of three loops at once
local found
for a = 1, 10 do
  for b = a, 10 do
    for c = b, 20 do
      if a * a + b * b == c * c then found = {a, b, c}; goto out end
    end
  end
end
::out::
print("triple", found[1], found[2], found[3])

-- backward jumps: Euclid's algorithm and a countdown
local function gcd(x, y)
  ::loop::
  if y == 0 then return x end
  x, y = y, x % y
  goto loop
end
print("gcd", gcd(1071, 462), gcd(17, 5), gcd(0, 9))

-- a state machine written with labels
local function parse(input)
  local pos, out = 1, ""
  local len = #input
  local digits = {["0"] = 0, ["1"] = 1, ["2"] = 2, ["3"] = 3, ["4"] = 4, ["5"] = 5, ["6"] = 6, ["7"] = 7, ["8"] = 8, ["9"] = 9}
  -- inputs are given as arrays of characters since the string library is not used
  local value = 0
  ::start::
  if pos > len then goto finish end
  if digits[input[pos]] then goto number end
  out = out .. "[" .. input[pos] .. "]"
  pos = pos + 1
  goto start
  ::number::
  value = 0
  ::more_digits::
  value = value * 10 + digits[input[pos]]
  pos = pos + 1
  if pos <= len and digits[input[pos]] then goto more_digits end
  out = out .. "<" .. value .. ">"
  goto start
  ::finish::
  return out
end
print("machine", parse({"a", "1", "2", "+", "3", "4", "5", "b"}))

-- retry with a limit
local attempts = 0
local function flaky() attempts = attempts + 1; return attempts >= 3 end
do
  ::retry::
  if not flaky() then goto retry end
end
print("attempts", attempts)

-- goto out of a block with a to-be-closed variable closes it
local closed = {}
do
  local k = 0
  ::top::
  k = k + 1
  do
    local res <close> = setmetatable({}, {__close = function() closed[#closed + 1] = k end})
    if k < 3 then goto top end
  end
end
print("closed by goto", closed[1], closed[2], closed[3])

-- labels with the same name in different functions and sibling blocks
local function a() goto done; ::done:: return "a" end
local function b() do goto done end ::done:: return "b" end
print("labels", a(), b())
