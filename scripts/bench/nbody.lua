-- nbody: the classic Jovian planets n-body simulation (symplectic integrator).
-- Measures: float arithmetic, field reads and writes on small records
-- (x, y, z, vx, ... by constant string key), nested loops over an array of
-- records. Square roots use x ^ 0.5 (no math library needed).
-- Prints the energy before and after the simulation.
-- expect: nbody 500000 -0.16907516382852 -0.16909656666616
local N = tonumber(arg and arg[1]) or 500000

local PI = 3.141592653589793
local SOLAR_MASS = 4 * PI * PI
local DAYS_PER_YEAR = 365.24

local function body(x, y, z, vx, vy, vz, mass)
  return {
    x = x, y = y, z = z,
    vx = vx * DAYS_PER_YEAR, vy = vy * DAYS_PER_YEAR, vz = vz * DAYS_PER_YEAR,
    mass = mass * SOLAR_MASS,
  }
end

local bodies = {
  body(0, 0, 0, 0, 0, 0, 1),  -- sun
  body( 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
        1.66007664274403694e-03,  7.69901118419740425e-03, -6.90460016972063023e-05,
        9.54791938424326609e-04),   -- jupiter
  body( 8.34336671824457987e+00,  4.12479856412430479e+00, -4.03523417114321381e-01,
       -2.76742510726862411e-03,  4.99852801234917238e-03,  2.30417297573763929e-05,
        2.85885980666130812e-04),   -- saturn
  body( 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
        2.96460137564761618e-03,  2.37847173959480950e-03, -2.96589568540237556e-05,
        4.36624404335156298e-05),   -- uranus
  body( 1.53796971148509165e+01, -2.59193146099879641e+01,  1.79258772950371181e-01,
        2.68067772490389322e-03,  1.62824170038242295e-03, -9.51592254519715870e-05,
        5.15138902046611451e-05),   -- neptune
}

local function offset_momentum(b)
  local px, py, pz = 0, 0, 0
  for i = 1, #b do
    local bi = b[i]
    local m = bi.mass
    px = px + bi.vx * m
    py = py + bi.vy * m
    pz = pz + bi.vz * m
  end
  b[1].vx = -px / SOLAR_MASS
  b[1].vy = -py / SOLAR_MASS
  b[1].vz = -pz / SOLAR_MASS
end

local function energy(b)
  local e = 0
  local n = #b
  for i = 1, n do
    local bi = b[i]
    local vx, vy, vz, bim = bi.vx, bi.vy, bi.vz, bi.mass
    e = e + 0.5 * bim * (vx * vx + vy * vy + vz * vz)
    for j = i + 1, n do
      local bj = b[j]
      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
      e = e - bim * bj.mass / ((dx * dx + dy * dy + dz * dz) ^ 0.5)
    end
  end
  return e
end

local function advance(b, n, dt)
  for i = 1, n do
    local bi = b[i]
    local bix, biy, biz, bimass = bi.x, bi.y, bi.z, bi.mass
    local bivx, bivy, bivz = bi.vx, bi.vy, bi.vz
    for j = i + 1, n do
      local bj = b[j]
      local dx, dy, dz = bix - bj.x, biy - bj.y, biz - bj.z
      local d2 = dx * dx + dy * dy + dz * dz
      local mag = dt / (d2 * d2 ^ 0.5)
      local bm = bj.mass * mag
      bivx = bivx - dx * bm
      bivy = bivy - dy * bm
      bivz = bivz - dz * bm
      bm = bimass * mag
      bj.vx = bj.vx + dx * bm
      bj.vy = bj.vy + dy * bm
      bj.vz = bj.vz + dz * bm
    end
    bi.vx = bivx
    bi.vy = bivy
    bi.vz = bivz
    bi.x = bix + dt * bivx
    bi.y = biy + dt * bivy
    bi.z = biz + dt * bivz
  end
end

offset_momentum(bodies)
local e0 = energy(bodies)
local nb = #bodies
for _ = 1, N do
  advance(bodies, nb, 0.01)
end
print("nbody", N, e0, energy(bodies))
