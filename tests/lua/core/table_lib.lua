-- The table library: insert, remove, concat, pack, unpack, move; metamethods and errors.
-- Expected values from lua5.4 (5.4.4).

local t = {1, 2, 3}
print(table.concat(t), table.concat(t, ", "), table.concat(t, "-", 2, 3), table.concat({}, "x"))  -- expect: 123\t1, 2, 3\t2-3\t
print(table.concat({1, 2.5, "x", 2^63}, ","), table.concat({1, 2, 3}, ",", 3, 2), table.concat({"a"}, ",", 1, 1))  -- expect: 1,2.5,x,9.2233720368548e+18\t\ta
print(pcall(table.concat, {1, {}, 3}))  -- expect: false\tinvalid value (table) at index 2 in table for 'concat'
print(pcall(table.concat, {1, 2}, ", ", 1, 3))  -- expect: false\tinvalid value (nil) at index 3 in table for 'concat'
print(pcall(table.concat, {}, {}))  -- expect: false\tbad argument #2 to 'table.concat' (string expected, got table)
print(pcall(table.concat, {}, 1, 2, 3.5))  -- expect: false\tbad argument #4 to 'table.concat' (number has no integer representation)
print(pcall(table.concat, {true}))  -- expect: false\tinvalid value (boolean) at index 1 in table for 'concat'
table.insert(t, 4)
table.insert(t, 1, 0)
table.insert(t, #t + 1, 5)
print(table.concat(t, " "))  -- expect: 0 1 2 3 4 5
print(table.remove(t), table.remove(t, 1), table.concat(t, " "))  -- expect: 5\t0\t1 2 3 4
print(table.remove(t, #t + 1), table.concat(t, " "))  -- expect: nil\t1 2 3 4
print(table.remove({}), table.remove({}, 0), table.remove({}, 1), select("#", table.remove({})))  -- expect: nil\tnil\tnil\t1
local z = {[0] = "zero"}
print(table.remove(z, 0), z[0])  -- expect: zero\tnil
print(pcall(table.insert, t, 10, 5))  -- expect: false\tbad argument #2 to 'table.insert' (position out of bounds)
print(pcall(table.insert, t, 0, 5))  -- expect: false\tbad argument #2 to 'table.insert' (position out of bounds)
print(pcall(table.insert, {}, 1, 2, 3))  -- expect: false\twrong number of arguments to 'insert'
print(pcall(table.insert, {}))  -- expect: false\twrong number of arguments to 'insert'
print(pcall(table.insert, nil, 1))  -- expect: false\tbad argument #1 to 'table.insert' (table expected, got nil)
print(pcall(table.insert, {}, "x", 1))  -- expect: false\tbad argument #2 to 'table.insert' (number expected, got string)
print(pcall(table.insert, {}, 1.5, 1))  -- expect: false\tbad argument #2 to 'table.insert' (number has no integer representation)
print(pcall(table.remove, {}, 5))  -- expect: false\tbad argument #1 to 'table.remove' (position out of bounds)
print(pcall(table.remove, {1, 2}, -1))  -- expect: false\tbad argument #1 to 'table.remove' (position out of bounds)

print(table.unpack({1, 2, 3}))  -- expect: 1\t2\t3
print(table.unpack({1, 2, 3}, 2), table.unpack({1, 2, 3}, 2, 5))  -- expect: 2\t2\t3\tnil\tnil
print(table.unpack({1, 2, 3}, -1, 1))  -- expect: nil\tnil\t1
print(select("#", table.unpack({}, 3, 2)), select("#", table.unpack({n = 3}, 1, 3)))  -- expect: 0\t3
print(pcall(table.unpack, {}, 1, 1e7))  -- expect: false\ttoo many results to unpack
print(pcall(table.unpack, {}, math.mininteger, math.maxinteger))  -- expect: false\ttoo many results to unpack
print(pcall(table.unpack))  -- expect: false\tattempt to get length of a nil value
print(table.unpack(setmetatable({}, {__index = function(_, k) return k * 10 end}), 1, 3))  -- expect: 10\t20\t30
local p = table.pack(1, nil, 3)
print(p.n, p[1], p[2], p[3])  -- expect: 3\t1\tnil\t3
print(table.pack().n, #table.pack(1, 2))  -- expect: 0\t2

print(table.concat(table.move({1, 2, 3}, 1, 3, 2), " "))  -- expect: 1 1 2 3
print(table.concat(table.move({1, 2, 3, 4, 5}, 2, 5, 1), " "))  -- expect: 2 3 4 5 5
print(table.concat(table.move({1, 2, 3}, 1, 3, 1, {}), " "))  -- expect: 1 2 3
print(table.concat(table.move({1, 2, 3}, 1, 0, 1, {9}), " "))  -- expect: 9
local dst = {}
print(table.move({1, 2}, 1, 2, 3, dst) == dst, dst[3], dst[4])  -- expect: true\t1\t2
print(pcall(table.move, {}, 1, math.maxinteger, 2))  -- expect: false\tbad argument #4 to 'table.move' (destination wrap around)
print(pcall(table.move, {}, -1, math.maxinteger, 2))  -- expect: false\tbad argument #3 to 'table.move' (too many elements to move)
print(pcall(table.move, {1}, 1, 2, math.maxinteger))  -- expect: false\tbad argument #4 to 'table.move' (destination wrap around)
print(pcall(table.move, {}, 1, 2))  -- expect: false\tbad argument #4 to 'table.move' (number expected, got no value)
print(pcall(table.move, {}, 1, 2, 3, 4))  -- expect: false\tbad argument #5 to 'table.move' (table expected, got number)

-- Element access honours __index / __newindex / __len (lua_geti / lua_seti).
local log = {}
local proxy = setmetatable({}, {
  __len = function() return 3 end,
  __index = function(_, k) return "v" .. k end,
  __newindex = function(_, k, v) log[#log + 1] = k .. "=" .. tostring(v) end,
})
print(table.concat(proxy, ","))  -- expect: v1,v2,v3
table.insert(proxy, "new")
table.insert(proxy, 1, "first")
print(table.concat(log, " "))  -- expect: 4=new 4=v3 3=v2 2=v1 1=first
print(pcall(table.insert, setmetatable({}, {__len = function() return "x" end}), 1))  -- expect: false\tobject length is not an integer
print(pcall(table.insert, setmetatable({}, {__len = function() return 2.0 end}), 1))  -- expect: true
-- Non-tables with the right metamethods are accepted.
local ud = setmetatable({}, {__index = function(_, i) return i end, __len = function() return 2 end})
print(table.concat(ud, "+"), table.unpack(ud))  -- expect: 1+2\t1\t2
print(pcall(table.insert, 1, 1))  -- expect: false\tbad argument #1 to 'table.insert' (table expected, got number)
print(pcall(table.concat, setmetatable({}, {}), 1))  -- expect: true\t
