-- Wishlist (needs the table library): concat, insert, remove, sort (with comparators and
-- errors), unpack, pack, move.

local t = {1, 2, 3}
print(table.concat(t), table.concat(t, ", "), table.concat(t, "-", 2, 3), table.concat({}, "x"))  -- expect: 123\t1, 2, 3\t2-3\t
print(pcall(table.concat, {1, {}, 3}))  -- expect: false\tinvalid value (table) at index 2 in table for 'concat'
table.insert(t, 4)
table.insert(t, 1, 0)
print(table.concat(t, " "))  -- expect: 0 1 2 3 4
print(table.remove(t), table.remove(t, 1), table.concat(t, " "))  -- expect: 4\t0\t1 2 3
print(pcall(table.insert, t, 10, 5))  -- expect: false\tbad argument #2 to 'table.insert' (position out of bounds)
print(table.unpack({1, 2, 3}))  -- expect: 1\t2\t3
print(table.unpack({1, 2, 3}, 2), table.unpack({1, 2, 3}, 2, 5))  -- expect: 2\t2\t3\tnil\tnil
local p = table.pack(1, nil, 3)
print(p.n, p[1], p[2], p[3])  -- expect: 3\t1\tnil\t3
local s = {5, 2, 8, 1, 9, 3}
table.sort(s)
print(table.concat(s, " "))  -- expect: 1 2 3 5 8 9
table.sort(s, function(a, b) return a > b end)
print(table.concat(s, " "))  -- expect: 9 8 5 3 2 1
local names = {"bob", "Alice", "carol", "Dave"}
table.sort(names)
print(table.concat(names, " "))  -- expect: Alice Dave bob carol
print(pcall(table.sort, {1, "x", 2}))  -- expect: false\tattempt to compare string with number
print(table.concat(table.move({1, 2, 3}, 1, 3, 2), " "))  -- expect: 1 1 2 3
print(table.concat(table.move({1, 2, 3}, 1, 3, 1, {}), " "))  -- expect: 1 2 3
-- yield across table.sort's comparator is not allowed
print(coroutine.resume(coroutine.create(function() table.sort({3, 2, 1}, function(a, b) coroutine.yield() return a < b end) end)))  -- expect: false\tattempt to yield across a C-call boundary
