-- spectral_norm: largest singular value of the infinite matrix
-- A(i,j) = 1 / ((i+j)(i+j+1)/2 + i + 1), by the power method on A^T A.
-- Measures: float arithmetic with integer-to-float conversion, array reads and
-- writes in nested loops, and a function call per matrix element.
-- Square root via x ^ 0.5 (no math library needed).
-- expect: spectral_norm 700 1.2742241392519
local N = tonumber(arg and arg[1]) or 700

local function A(i, j)
  local ij = i + j - 1
  return 1.0 / (ij * (ij - 1) * 0.5 + i)
end

local function Av(x, y, n)
  for i = 1, n do
    local a = 0
    for j = 1, n do a = a + x[j] * A(i, j) end
    y[i] = a
  end
end

local function Atv(x, y, n)
  for i = 1, n do
    local a = 0
    for j = 1, n do a = a + x[j] * A(j, i) end
    y[i] = a
  end
end

local function AtAv(x, y, t, n)
  Av(x, t, n)
  Atv(t, y, n)
end

local u, v, t = {}, {}, {}
for i = 1, N do u[i] = 1 end
for _ = 1, 10 do
  AtAv(u, v, t, N)
  AtAv(v, u, t, N)
end
local vBv, vv = 0, 0
for i = 1, N do
  local ui, vi = u[i], v[i]
  vBv = vBv + ui * vi
  vv = vv + vi * vi
end
print("spectral_norm", N, (vBv / vv) ^ 0.5)
