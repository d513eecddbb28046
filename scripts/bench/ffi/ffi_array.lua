-- ffi_array: cdata access from the interpreter (no C calls).
-- Measures: filling and summing a double[?] array (a[i] reads and writes), updating the
-- fields of structs reached through an array (p.x = p.x + p.vx), and making small
-- variable-length arrays in a loop (ffi.new("double[?]", n)).
-- Runs unchanged under LuaJIT: compare with `luajit -joff` (its interpreter).
-- Prints one checksum line on stdout and the CPU time of each part on stderr.
-- expect: ffi_array 2000098902437500
local ffi = require("ffi")
local scale = tonumber(arg and arg[1]) or 1

local function timed(name, f)
  local t0 = os.clock()
  local r = f()
  io.stderr:write(string.format("%-10s %.3f s\n", name, os.clock() - t0))
  return r
end

local N = 1000000 * scale
local array_sum = timed("array", function()
  local total = 0
  for _ = 1, 4 do
    local a = ffi.new("double[?]", N)
    for i = 0, N - 1 do a[i] = i * 0.5 end
    local s = 0
    for i = 0, N - 1 do s = s + a[i] end
    total = total + s
  end
  return total
end)

ffi.cdef[[ typedef struct { double x, y, vx, vy; } particle_t; ]]
local P, STEPS = 1000, 500 * scale
local field_sum = timed("fields", function()
  local ps = ffi.new("particle_t[?]", P)
  for i = 0, P - 1 do
    local p = ps[i]
    p.x, p.y, p.vx, p.vy = i, -i, 1, 0.5
  end
  for _ = 1, STEPS do
    for i = 0, P - 1 do
      local p = ps[i]
      p.x = p.x + p.vx
      p.y = p.y + p.vy
    end
  end
  local s = 0
  for i = 0, P - 1 do s = s + ps[i].x + ps[i].y end
  return s
end)

local M = 300000 * scale
local alloc_sum = timed("alloc", function()
  local s = 0
  for i = 1, M do
    local b = ffi.new("double[?]", 16)
    b[0] = i
    b[15] = b[0] * 2
    s = s + b[15]
  end
  return s
end)

print(string.format("ffi_array %.0f", array_sum + field_sum + alloc_sum))
