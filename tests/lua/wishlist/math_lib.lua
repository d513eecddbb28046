-- Wishlist (needs string.format): float formatting checks that were left here when the math
-- library's checks moved to tests/lua/core/math_lib.lua.

print(string.format("%.17g", 0.1), string.format("%.0f", 0.5), string.format("%.0f", 1.5))  -- expect: 0.10000000000000001\t0\t2
