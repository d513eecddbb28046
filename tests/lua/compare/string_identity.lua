-- Which equal strings are the same object (`%p` prints a string's address). Equal string
-- constants of one chunk are one object, also when they are too long to be interned, and
-- across the chunk's functions; a string built at run time is a new object.
local function addr(s) return string.format("%p", s) end

local long1 <const> = "a string constant longer than forty bytes, so not interned"
local long2 <const> = "a string constant longer than forty bytes, so not interned"
local long3 = "a string constant longer than forty bytes, so not interned"
local function from_const() return long1 end
local function from_upvalue() return long3 end
local function from_literal()
  return "a string constant longer than forty bytes, so not interned"
end
local function nested()
  return function() return "a string constant longer than forty bytes, so not interned" end
end

local a = addr(long1)
print("two <const> locals", a == addr(long2))
print("folded into a function", a == addr(from_const()))
print("through an upvalue", a == addr(from_upvalue()))
print("literal in another function", a == addr(from_literal()))
print("literal two functions down", a == addr(nested()()))

local built = "a string constant longer than forty bytes, " .. "so not interned"
print("built at run time: equal", built == long1, "same object", a == addr(built))

-- Another chunk's constant is another object (long strings are not interned).
local other = load('return "a string constant longer than forty bytes, so not interned"')()
print("constant of another chunk", other == long1, a == addr(other))

-- Short strings are interned: always one object.
print("short strings", addr("short") == addr(("sh"):rep(1) .. "ort"))
