-- Closures, upvalues, methods, varargs, tail calls.
local a = 1
local function counter()
  local n = 0
  return function(...)
    n = n + a
    return n, ...
  end
end
function obj.field:method(p, q)
  return self.x + p, q
end
local t = {}
function t.f(...) return select('#', ...) end
local o = counter()
o:method(1, 2)
return counter()(1)
