-- A short tour of rivet: its Lua 5.4 core, then C through the ffi. Run it with:
--   cargo run --release -- scripts/examples/tour.lua

print("rivet speaks " .. _VERSION)

-- Integers and floats are distinct subtypes with exact rules.
print("7 // 2 =", 7 // 2, " 7 / 2 =", 7 / 2, " -7 % 3 =", -7 % 3)
print("2^53 == 2^53 + 1 ?", 2^53 == 2^53 + 1, " math-free maxinteger:", 0x7fffffffffffffff)

-- Closures capture variables, not values.
local function counter()
  local n = 0
  return function() n = n + 1; return n end
end
local c = counter()
c(); c()
print("counter after three calls:", c())

-- Metatables give tables operators and inheritance.
local Vec = {}
Vec.__index = Vec
function Vec.new(x, y) return setmetatable({x = x, y = y}, Vec) end
function Vec.__add(a, b) return Vec.new(a.x + b.x, a.y + b.y) end
function Vec.__tostring(v) return "(" .. v.x .. ", " .. v.y .. ")" end
function Vec:len2() return self.x * self.x + self.y * self.y end
local v = Vec.new(1, 2) + Vec.new(3, 4)
print("vector sum:", tostring(v), " squared length:", v:len2())

-- Coroutines are generators and cooperative threads.
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local sum = 0
for i in range(10) do sum = sum + i end
print("sum of a generated 1..10:", sum)

-- Errors are values; pcall catches them with their position.
local ok, err = pcall(function() local t = nil; return t.field end)
print("caught:", ok, err)

-- <close> variables run their __close when the scope ends, even on error.
do
  local guard <close> = setmetatable({}, {__close = function() print("guard closed") end})
  print("inside the guarded block")
end

-- goto gives `continue`.
local odd = 0
for i = 1, 10 do
  if i % 2 == 0 then goto continue end
  odd = odd + 1
  ::continue::
end
print("odd numbers in 1..10:", odd)

-- The ffi talks to C directly: declare what you use, then call it.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } timeval_t;
int printf(const char *fmt, ...);
size_t strlen(const char *s);
int getpid(void);
int gettimeofday(timeval_t *tv, void *tz);
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
]]
local C = ffi.C
C.printf("printf from C: %s has %d letters (%.1f%% vowels)\n", "rivet", ffi.new("int", C.strlen("rivet")), 40.0)
print("this process is pid", C.getpid())
local tv = ffi.new("timeval_t")
C.gettimeofday(tv, nil)
print("seconds since 1970 (from a C struct):", tv.tv_sec)

-- A Lua function passed where C wants a function pointer becomes a callback.
local nums = ffi.new("int[8]", {42, 7, 19, 3, 88, 21, 5, 64})
C.qsort(nums, 8, ffi.sizeof("int"), function(a, b)
  return ffi.cast("const int *", a)[0] - ffi.cast("const int *", b)[0]
end)
local sorted = {}
for i = 0, 7 do sorted[#sorted + 1] = nums[i] end
print("sorted by C's qsort with a Lua comparator:", table.concat(sorted, " "))
print(ffi.plan("qsort"))
