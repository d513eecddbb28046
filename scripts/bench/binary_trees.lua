-- binary_trees: allocate and walk many short-lived binary trees.
-- Measures: table allocation and garbage collection (young, short-lived
-- objects plus one long-lived tree), recursion, and small-table field reads.
-- The classic shape: a stretch tree of depth max+1, one long-lived tree of
-- depth max, then for each depth d = min, min+2, .. max, 2^(max-d+min) trees
-- of depth d are built and checked. Prints one line with the sum of all
-- checks. Base library only (powers of two by multiplication, so the counts
-- are integers in Lua 5.4 and LuaJIT alike).
-- expect: binary_trees 15 6488062
local MAXDEPTH = tonumber(arg and arg[1]) or 15
local MINDEPTH = 4
if MAXDEPTH < MINDEPTH + 2 then MAXDEPTH = MINDEPTH + 2 end

local function bottom_up(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { bottom_up(depth), bottom_up(depth) }
end

local function item_check(tree)
  local left = tree[1]
  if left then
    return 1 + item_check(left) + item_check(tree[2])
  end
  return 1
end

local function pow2(n)
  local p = 1
  for _ = 1, n do p = p * 2 end
  return p
end

local total = 0
total = total + item_check(bottom_up(MAXDEPTH + 1))   -- stretch tree

local long_lived = bottom_up(MAXDEPTH)

for depth = MINDEPTH, MAXDEPTH, 2 do
  local iters = pow2(MAXDEPTH - depth + MINDEPTH)
  local check = 0
  for _ = 1, iters do
    check = check + item_check(bottom_up(depth))
  end
  total = total + iters + check
end

total = total + item_check(long_lived)
print("binary_trees", MAXDEPTH, total)
