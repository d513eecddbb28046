-- table.sort: Lua 5.4's quicksort, comparators, metamethods, invalid order functions.
-- Expected values from lua5.4 (5.4.4).

local function show(t) return table.concat(t, " ") end
local s = {5, 2, 8, 1, 9, 3}
table.sort(s)
print(show(s))  -- expect: 1 2 3 5 8 9
table.sort(s, function(a, b) return a > b end)
print(show(s))  -- expect: 9 8 5 3 2 1
local names = {"bob", "Alice", "carol", "Dave", "alice", "Bob"}
table.sort(names)
print(show(names))  -- expect: Alice Bob Dave alice bob carol
local mixed = {3, 1.5, -2, 2^53, math.mininteger, 0.0, -0.5}
table.sort(mixed)
print(show(mixed))  -- expect: -9223372036854775808 -2 -0.5 0.0 1.5 3 9.007199254741e+15
local one, empty = {1}, {}
table.sort(one) table.sort(empty)
print(#one, #empty)  -- expect: 1\t0

-- A bigger array, checked for order and for keeping every element.
local big, sum = {}, 0
for i = 1, 1000 do big[i] = (i * 7919) % 1009 sum = sum + big[i] end
table.sort(big)
local ok, sum2 = true, big[1]
for i = 2, #big do
  if big[i - 1] > big[i] then ok = false end
  sum2 = sum2 + big[i]
end
print(ok, sum == sum2, big[1], big[1000])  -- expect: true\ttrue\t1\t1008
-- Many equal elements.
local eq = {}
for i = 1, 200 do eq[i] = i % 3 end
table.sort(eq)
print(eq[1], eq[67], eq[68], eq[134], eq[200])  -- expect: 0\t1\t1\t2\t2
-- Already sorted and reversed input.
local asc, desc = {}, {}
for i = 1, 300 do asc[i] = i desc[i] = 301 - i end
table.sort(asc) table.sort(desc)
print(asc[1], asc[300], desc[1], desc[150], desc[300])  -- expect: 1\t300\t1\t150\t300

-- Stable comparator on records; comparisons counted through a comparator.
local recs = {{k = 3, v = "c"}, {k = 1, v = "a"}, {k = 2, v = "b"}}
table.sort(recs, function(x, y) return x.k < y.k end)
print(recs[1].v .. recs[2].v .. recs[3].v)  -- expect: abc
local calls = 0
local c = {4, 3, 2, 1}
table.sort(c, function(a, b) calls = calls + 1 return a < b end)
print(show(c), calls)  -- expect: 1 2 3 4\t7

-- __lt on elements.
local mt = {__lt = function(a, b) return a.n < b.n end}
local objs = {}
for i, n in ipairs({5, 3, 9, 1}) do objs[i] = setmetatable({n = n}, mt) end
table.sort(objs)
print(objs[1].n, objs[2].n, objs[3].n, objs[4].n)  -- expect: 1\t3\t5\t9

-- Through __index / __newindex / __len.
local store = {30, 10, 20}
local proxy = setmetatable({}, {
  __index = store,
  __newindex = function(_, k, v) store[k] = v end,
  __len = function() return #store end,
})
table.sort(proxy)
print(show(store))  -- expect: 10 20 30

-- Equal integers and floats keep the positions Lua's algorithm gives them.
local same = {1, 1.0, 2, 1, 2.0, 1.0, 0, 1, 2, 1.0, 1, 0.0, 1.0}
table.sort(same)
print(show(same))  -- expect: 0 0.0 1 1.0 1 1.0 1 1 1.0 1.0 2 2.0 2
local rev = {}
for i = 1, 150 do rev[i] = (i % 2 == 0) and (150 - i) // 2 or (150 - i) // 2 + 0.0 end
table.sort(rev)
print(rev[1], rev[2], rev[3], rev[4], rev[75], rev[76], rev[149], rev[150])  -- expect: 0\t0.0\t1.0\t1\t37\t37.0\t74\t74.0
-- NaN breaks the order: either an error or some order, as in Lua.
local nan = 0 / 0
local withnan = {3, nan, 1, 2, nan, 5, 4, nan, 0}
print(pcall(table.sort, withnan))  -- expect: true
for i = 1, #withnan do if withnan[i] ~= withnan[i] then withnan[i] = "nan" end end
print(show(withnan))  -- expect: 0 4 5 nan nan 1 2 nan 3
local withnan2 = {nan, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}
print(pcall(table.sort, withnan2))  -- expect: true
for i = 1, #withnan2 do if withnan2[i] ~= withnan2[i] then withnan2[i] = "nan" end end
print(show(withnan2))  -- expect: nan 1 2 3 4 5 6 7 8 9 10 11 12 13 14

-- Errors.
print(pcall(table.sort, {3, 1, 2}, 3))  -- expect: false\tbad argument #2 to 'table.sort' (function expected, got number)
print(pcall(table.sort, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, function(a, b) return true end))  -- expect: false\tinvalid order function for sorting
print(pcall(table.sort, setmetatable({}, {__len = function() return math.maxinteger end})))  -- expect: false\tbad argument #1 to 'table.sort' (array too big)
print(pcall(table.sort, {1, "x", 2}))  -- expect: false\tattempt to compare string with number
print(pcall(table.sort, {{}, {}}))  -- expect: false\tattempt to compare two table values
print(pcall(table.sort, {3, 2, 1}, function(a, b) error("cmp failed") end))  -- expect: false\ttable_sort.lua:92: cmp failed
print(select(2, pcall(table.sort, {3, 2, 1}, function(a, b) error({code = 7}) end)).code)  -- expect: 7
print(pcall(table.sort))  -- expect: false\tbad argument #1 to 'table.sort' (table expected, got no value)
-- A comparator may not yield: sort is a C-call boundary.
print(coroutine.resume(coroutine.create(function() table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end)))  -- expect: false\tattempt to yield across a C-call boundary
