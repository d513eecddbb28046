-- Constructors, SetList batches, indexing forms, multiple assignment.
local t = {1, 2, 3, x = 1, ["y"] = 2, [10] = 3, [3.5] = 4, f()}
local big = {1,2,3,4,5,6,7,8,9,10,1,2,3,4,5,6,7,8,9,10,1,2,3,4,5,6,7,8,9,10,
  1,2,3,4,5,6,7,8,9,10,1,2,3,4,5,6,7,8,9,10,51,52,...}
local i = 1
t[i], i = i, 2
t.a.b.c = t[1][i]["k"]
x, y = y, x
a.b, a = 1, 2
return #t, {}, {...}
