-- methods: object-oriented code with metatables.
-- Measures: method calls with the colon syntax (SELF), __index lookups that
-- fall through to a class table and then to a base class (two-level
-- inheritance chain), field reads/writes on instances, constructors with
-- setmetatable, and __index as a function (computed properties) in a smaller
-- part. Base library only.
-- expect: methods 63375007 3000001 3000004
local N = tonumber(arg and arg[1]) or 3000000

local Point = {}
Point.__index = Point

function Point.new(x, y)
  return setmetatable({ x = x, y = y }, Point)
end

function Point:add(o)
  return Point.new(self.x + o.x, self.y + o.y)
end

function Point:dot(o)
  return self.x * o.x + self.y * o.y
end

function Point:move(dx, dy)
  self.x = self.x + dx
  self.y = self.y + dy
  return self
end

-- subclass: methods not defined here are found through Point via __index
local Point3 = setmetatable({}, { __index = Point })
Point3.__index = Point3

function Point3.new(x, y, z)
  local p = setmetatable({ x = x, y = y, z = z }, Point3)
  return p
end

function Point3:dot(o)
  return Point.dot(self, o) + self.z * o.z
end

-- counter with state in the instance, many tiny method calls
local Counter = {}
Counter.__index = Counter
function Counter.new() return setmetatable({ n = 0 }, Counter) end
function Counter:inc() self.n = self.n + 1 end
function Counter:get() return self.n end

-- computed property through an __index function
local Lazy = setmetatable({}, {
  __index = function(t, k) return k * 2 end
})

local check = 0
local p = Point.new(1, 2)
local q = Point3.new(3, 4, 5)
local c = Counter.new()
for i = 1, N do
  c:inc()
  p:move(1, -1)                -- own-class method
  q:move(-1, 1)                -- inherited through two __index levels
  check = check + q:dot(q) % 7 + p:dot(q) % 11
  if i % 8 == 0 then
    local r = p:add(q)         -- allocates an instance
    check = check + r.x % 3 + Lazy[i % 100]
  end
  check = check % 1000000007
end

print("methods", check + c:get(), p.x, q.y)
