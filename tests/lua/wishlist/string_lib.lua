-- Wishlist (needs the math library): string coercions keep the subtype visible through
-- math.type. The rest of this file moved to core/string_methods.lua.

print(math.type("10" + 1), math.type("10" + 1.0), math.type("1e1" * 1), math.type("0x10" + 0))  -- expect: integer\tfloat\tfloat\tinteger
print(math.type(10 // 3), math.type(10 / 5), math.type(2^2), math.type(1 << 3))  -- expect: integer\tfloat\tfloat\tinteger
