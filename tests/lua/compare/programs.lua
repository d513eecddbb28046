-- Small whole programs mixing the language features: sieve of Eratosthenes, N queens,
-- a merge sort and a quicksort written in Lua, binary trees allocation, a tokenizer over
-- character arrays, a JSON-like serializer with sorted keys, and integer/float math.

-- sieve
local function sieve(n)
  local composite, primes = {}, {}
  for i = 2, n do
    if not composite[i] then
      primes[#primes + 1] = i
      for j = i * i, n, i do composite[j] = true end
    end
  end
  return primes
end
local p = sieve(10000)
print("primes", #p, p[1], p[100], p[#p])

-- N queens
local function queens(n)
  local count, cols, d1, d2 = 0, {}, {}, {}
  local first
  local placement = {}
  local function place(r)
    if r > n then
      count = count + 1
      if not first then first = "" for i = 1, n do first = first .. placement[i] end end
      return
    end
    for c = 1, n do
      if not cols[c] and not d1[r + c] and not d2[r - c + n] then
        cols[c], d1[r + c], d2[r - c + n] = true, true, true
        placement[r] = c
        place(r + 1)
        cols[c], d1[r + c], d2[r - c + n] = nil, nil, nil
      end
    end
  end
  place(1)
  return count, first
end
for n = 4, 8 do print("queens", n, queens(n)) end

-- sorting
local function merge_sort(a, lt)
  lt = lt or function(x, y) return x < y end
  local n = #a
  if n <= 1 then return a end
  local mid = n // 2
  local left, right = {}, {}
  for i = 1, mid do left[i] = a[i] end
  for i = mid + 1, n do right[i - mid] = a[i] end
  left, right = merge_sort(left, lt), merge_sort(right, lt)
  local out, i, j = {}, 1, 1
  while i <= #left and j <= #right do
    if lt(right[j], left[i]) then out[#out + 1] = right[j]; j = j + 1
    else out[#out + 1] = left[i]; i = i + 1 end
  end
  while i <= #left do out[#out + 1] = left[i]; i = i + 1 end
  while j <= #right do out[#out + 1] = right[j]; j = j + 1 end
  return out
end
local function quicksort(a, lo, hi)
  lo, hi = lo or 1, hi or #a
  if lo >= hi then return a end
  local pivot, i = a[hi], lo
  for j = lo, hi - 1 do
    if a[j] < pivot then a[i], a[j] = a[j], a[i]; i = i + 1 end
  end
  a[i], a[hi] = a[hi], a[i]
  quicksort(a, lo, i - 1)
  quicksort(a, i + 1, hi)
  return a
end
local function lcg(seed) return function() seed = (seed * 1103515245 + 12345) % 2147483648; return seed end end
local rnd = lcg(42)
local data = {}
for i = 1, 2000 do data[i] = rnd() % 10000 end
local sorted = merge_sort(data)
local copy = {}
for i = 1, #data do copy[i] = data[i] end
quicksort(copy)
local same = true
for i = 1, #data do if sorted[i] ~= copy[i] then same = false end end
print("sort", #sorted, sorted[1], sorted[1000], sorted[2000], same)
local words = {"pear", "apple", "fig", "banana", "cherry", "date"}
local by_len = merge_sort(words, function(x, y) if #x ~= #y then return #x < #y end return x < y end)
local s = ""
for i = 1, #by_len do s = s .. by_len[i] .. " " end
print("words", s)

-- binary trees
local function make(depth)
  if depth == 0 then return {} end
  return {make(depth - 1), make(depth - 1)}
end
local function check(t) if not t[1] then return 1 end return 1 + check(t[1]) + check(t[2]) end
for d = 4, 14, 5 do print("tree", d, check(make(d))) end

-- serializer with sorted keys
local function serialize(v, indent)
  indent = indent or ""
  local tv = type(v)
  if tv == "table" then
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    keys = merge_sort(keys, function(a, b)
      if type(a) ~= type(b) then return type(a) < type(b) end
      return a < b
    end)
    local out = "{\n"
    for _, k in ipairs(keys) do
      out = out .. indent .. "  [" .. serialize(k) .. "] = " .. serialize(v[k], indent .. "  ") .. ",\n"
    end
    return out .. indent .. "}"
  elseif tv == "string" then
    return '"' .. v .. '"'
  else
    return tostring(v)
  end
end
print(serialize({name = "rivet", version = 5.4, tags = {"lua", "ffi"}, nested = {a = {b = {c = true}}}, [1] = 1, [2.5] = "x"}))

-- tokenizer over an array of characters (no string library)
local function chars(list) local t = {} for i = 1, #list do t[i] = list[i] end return t end
local function tokenize(cs)
  local tokens, i = {}, 1
  local digit = {}
  for d = 0, 9 do digit[tostring(d)] = d end
  while i <= #cs do
    local c = cs[i]
    if c == " " then i = i + 1
    elseif digit[c] then
      local v = 0
      while digit[cs[i]] do v = v * 10 + digit[cs[i]]; i = i + 1 end
      tokens[#tokens + 1] = v
    else tokens[#tokens + 1] = c; i = i + 1 end
  end
  return tokens
end
-- evaluate + - * / with precedence via shunting-yard
local function evaluate(tokens)
  local prec = {["+"] = 1, ["-"] = 1, ["*"] = 2, ["/"] = 2}
  local out, ops = {}, {}
  local function apply()
    local op = ops[#ops]; ops[#ops] = nil
    local b = out[#out]; out[#out] = nil
    local a = out[#out]
    if op == "+" then out[#out] = a + b elseif op == "-" then out[#out] = a - b
    elseif op == "*" then out[#out] = a * b else out[#out] = a // b end
  end
  for _, t in ipairs(tokens) do
    if type(t) == "number" then out[#out + 1] = t
    elseif t == "(" then ops[#ops + 1] = t
    elseif t == ")" then while ops[#ops] ~= "(" do apply() end ops[#ops] = nil
    else
      while #ops > 0 and ops[#ops] ~= "(" and prec[ops[#ops]] >= prec[t] do apply() end
      ops[#ops + 1] = t
    end
  end
  while #ops > 0 do apply() end
  return out[1]
end
print("eval", evaluate(tokenize(chars({"1", "2", " ", "+", " ", "3", "4", "*", "(", "5", "-", "2", ")", "/", "4"}))))

-- numeric work: integer/float mixes
local sum_i, sum_f = 0, 0.0
for i = 1, 1000 do sum_i = sum_i + i * i; sum_f = sum_f + 1 / i end
print("sums", sum_i, sum_f)
local fact = 1
for i = 1, 25 do fact = fact * i end
print("25! wraps", fact)
local ffact = 1.0
for i = 1, 25 do ffact = ffact * i end
print("25! float", ffact)
local collatz_max, arg_max = 0, 0
for n = 1, 10000 do
  local steps, x = 0, n
  while x ~= 1 do if x % 2 == 0 then x = x // 2 else x = 3 * x + 1 end steps = steps + 1 end
  if steps > collatz_max then collatz_max, arg_max = steps, n end
end
print("collatz", arg_max, collatz_max)
