-- Operand forms and constant folding.
local x, y = ...
local a = x + 1, 1 + x, x - 1, x * 2.5, 2 * x, x / y, x // 3, x % 4, x ^ 2
local b = x & 255, 255 | x, x ~ y, x << 1, 3 << x, x >> 2, ~x, -x, #x
local c = 1 + 2 * 3, 7 // 2, 2 ^ 10, 1 / 0, 1 // 0, -0.0, 0.5 + 0.25, 1.5 & 1
local s = x .. y .. "z" .. 1
return a, b, c, s
