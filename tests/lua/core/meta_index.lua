-- Metamethods __index and __newindex: functions and tables, chains of tables several
-- levels deep, rawget/rawset bypassing them, existing keys never consulting them,
-- __index on non-table values, and the errors of setmetatable/getmetatable.

-- __index as a function receives the table and the key
local log = ""
local t = setmetatable({present = 1}, {__index = function(tab, k) log = log .. tostring(k) .. ";" return k .. "!" end})
print(t.present, t.absent, t[1], log)  -- expect: 1\tabsent!\t1!\tabsent;1;
print(rawget(t, "absent"), rawget(t, "present"))  -- expect: nil\t1

-- __index as a table, chained: a lookup walks the chain until a raw hit
local base = {level = "base", only_base = true}
local mid = setmetatable({level = "mid"}, {__index = base})
local top = setmetatable({}, {__index = mid})
print(top.level, top.only_base, top.nothing)  -- expect: mid\ttrue\tnil
mid.level = nil
print(top.level)  -- expect: base

-- a long chain of __index tables
local chain = {deepest = "found"}
for i = 1, 50 do chain = setmetatable({}, {__index = chain}) end
print(chain.deepest, chain.missing)  -- expect: found\tnil

-- an __index table that is itself proxied by a function
local fn_end = setmetatable({}, {__index = function(_, k) return "fn:" .. k end})
local via = setmetatable({}, {__index = fn_end})
print(via.x)  -- expect: fn:x

-- __newindex as a function: called only for absent keys
local writes = ""
local w = setmetatable({existing = 0}, {__newindex = function(tab, k, v) writes = writes .. k .. "=" .. tostring(v) .. ";" rawset(tab, k, v * 2) end})
w.existing = 5
w.fresh = 10
w.fresh = 11
print(w.existing, w.fresh, writes)  -- expect: 5\t11\tfresh=10;

-- __newindex as a table redirects the assignment there
local store = {}
local proxy = setmetatable({}, {__newindex = store, __index = store})
proxy.a = "A"
print(rawget(proxy, "a"), store.a, proxy.a)  -- expect: nil\tA\tA
-- chained __newindex tables
local inner_store = {}
local outer = setmetatable({}, {__newindex = setmetatable({}, {__newindex = inner_store})})
outer.k = "v"
print(rawget(outer, "k"), inner_store.k)  -- expect: nil\tv

-- rawset bypasses __newindex; assigning nil to an absent key still calls it
local calls = 0
local r = setmetatable({}, {__newindex = function() calls = calls + 1 end})
rawset(r, "x", 1)
r.y = nil
r.x = 2
print(r.x, calls)  -- expect: 2\t1
print(rawset(r, "z", 3) == r, rawlen({1, 2}), rawlen("abc"))  -- expect: true\t2\t3

-- read-only table pattern
local ro = setmetatable({}, {__index = {k = 1}, __newindex = function(_, k) error("read-only field " .. k, 2) end})
print(ro.k, pcall(function() ro.k = 2 end))  -- expect: 1\tfalse\tmeta_index.lua:59: read-only field k

-- indexing non-tables without __index fails
print(pcall(function() local n = 5; return n.x end))  -- expect: false\tmeta_index.lua:62: attempt to index a number value (local 'n')
print(pcall(function() local b = true; b.x = 1 end))  -- expect: false\tmeta_index.lua:63: attempt to index a boolean value (local 'b')
print(pcall(function() return (nil).x end))  -- expect: false\tmeta_index.lua:64: attempt to index a nil value

-- __index loops are detected
local loop1 = {}
local loop2 = {}
setmetatable(loop1, {__index = loop2})
setmetatable(loop2, {__index = loop1})
print(pcall(function() return loop1.x end))  -- expect: false\tmeta_index.lua:71: '__index' chain too long; possible loop
local nloop = {}
setmetatable(nloop, {__newindex = nloop})
print(rawget(nloop, "x"), pcall(function() nloop.x = 1 end))  -- expect: nil\tfalse\tmeta_index.lua:74: '__newindex' chain too long; possible loop

-- getmetatable / setmetatable rules
local mt = {}
local obj = setmetatable({}, mt)
print(getmetatable(obj) == mt, getmetatable({}), getmetatable(1), getmetatable(print))  -- expect: true\tnil\tnil\tnil
print(setmetatable(obj, nil) == obj, getmetatable(obj))  -- expect: true\tnil
print(pcall(setmetatable, nil, {}))  -- expect: false\tbad argument #1 to 'setmetatable' (table expected, got nil)
print(pcall(setmetatable, {}, 1))  -- expect: false\tbad argument #2 to 'setmetatable' (nil or table expected, got number)
print(pcall(setmetatable, {}))  -- expect: false\tbad argument #2 to 'setmetatable' (nil or table expected, got no value)
print(pcall(setmetatable, 1, {}))  -- expect: false\tbad argument #1 to 'setmetatable' (table expected, got number)
print(pcall(rawget, 1, 1))  -- expect: false\tbad argument #1 to 'rawget' (table expected, got number)
print(pcall(rawset, {}, nil, 1))  -- expect: false\ttable index is nil
print(pcall(rawlen, 5))  -- expect: false\tbad argument #1 to 'rawlen' (table or string expected, got number)
