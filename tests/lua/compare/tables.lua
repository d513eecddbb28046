-- Tables: borders (`#`) of sequences with holes as lua5.4 computes them (array part sized by
-- constructors and by Lua's rehash rule), traversal while clearing fields, float keys, and
-- table memory seen by the collector.

local function show(label, t) print(label, #t) end

-- constructors size the array part to their items
show("{1,2,nil,4}", {1, 2, nil, 4})
show("{1,2,3,nil,5,nil}", {1, 2, 3, nil, 5, nil})
show("{nil,nil,3}", {nil, nil, 3})
show("{1,nil}", {1, nil})
show("{nil}", {nil})
show("{n=1,1,2,3}", {n = 1, 1, 2, 3})
local function pack(...) return {...} end
show("{...} with holes", pack(1, nil, 3, nil, nil, 6))

-- a sequence grown one by one, then holes punched and filled
local t = {}
for i = 1, 10 do t[i] = i end
show("1..10", t)
t[5] = nil
show("hole at 5", t)
t[11] = 11
show("then 11", t)
for i = 11, 1, -1 do t[i] = nil; io.write(#t, " ") end
print()

-- appends with t[#t+1] and pops, across several array sizes
local u = {}
for i = 1, 1000 do u[#u + 1] = i end
show("1000 appends", u)
for _ = 1, 300 do u[#u] = nil end
show("300 pops", u)

-- integer keys reaching past the array part, filled in reverse
local r = {}
for i = 100, 1, -1 do r[i] = i end
show("reverse fill", r)
local s = {1, 2, 3}
s[5] = 5
s[4] = 4
show("{1,2,3} then 5, 4", s)

-- float keys with integral values are integer keys
local f = {}
f[1.0] = "a"; f[2] = "b"; f[2^53] = "big"
print(f[1], f[2.0], f[2^53 | 0], #f)
f[0.5] = "half"
print(f[0.5], f[1 / 2])

-- clearing every field during a traversal visits each once
local m = {}
for i = 1, 50 do m[i] = i; m["k" .. i] = i; m[i + 0.5] = i end
local visits, sum = 0, 0
for k, v in pairs(m) do
  visits = visits + 1
  sum = sum + v
  m[k] = nil
end
print(visits, sum, next(m))

-- updating existing fields during a traversal is allowed too
local w = {a = 1, b = 2, c = 3, 10, 20}
for k, v in pairs(w) do w[k] = v * 2 end
print(w.a, w.b, w.c, w[1], w[2])

-- the collector sees table memory: growing a table raises "count" by its size
collectgarbage()
local before = collectgarbage("count")
local big = {}
for i = 1, 100000 do big[i] = i end
print(collectgarbage("count") - before > 1500)  -- 100000 slots of 16 bytes

-- and big tables made in a loop are collected as the loop goes, without an explicit
-- collection (the pacer counts their memory)
local seen = setmetatable({}, {__mode = "k"})
for _ = 1, 200 do
  local tmp = {}
  for i = 1, 20000 do tmp[i] = i end
  seen[tmp] = true
end
local alive = 0
for _ in pairs(seen) do alive = alive + 1 end
print(alive < 100)
