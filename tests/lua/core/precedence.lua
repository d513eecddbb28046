-- Operator precedence and associativity: ^ binds tighter than unary minus and is right
-- associative, .. is right associative, comparison below concatenation, and/or lowest,
-- unary operators (not, -, #, ~) above the binary arithmetic ones.

print(2^-3, -2^2, 2^3^2, (2^3)^2)  -- expect: 0.125\t-4.0\t512.0\t64.0
print(-2^-2, 2^-2^-1 > 0)  -- expect: -0.25\ttrue
print(1 .. 2 .. 3, 1 .. (2 .. 3) == (1 .. 2) .. 3)  -- expect: 123\ttrue
print(not nil == true, not (nil == true), not 1 == nil)  -- expect: true\ttrue\tfalse
print(1 + 2 * 3 - 4 / 2, (1 + 2) * 3, 7 - 2 - 1, 2 * 3 % 4, 2 + 3 % 4)  -- expect: 5.0\t9\t4\t2\t5
print(7 // 2 * 2, 7 % 3 * 2, -3 % 5, -(3 % 5))  -- expect: 6\t2\t2\t-3
print(1 < 2 == true, "a" .. "b" == "ab", 1 .. 2 == "12")  -- expect: true\ttrue\ttrue
print(1 + 1 .. 2 + 2, 2 .. 3 ^ 2)  -- expect: 24\t29.0
print(1 < 2 and 2 < 3, 1 < 2 and 3 < 2 or "no", nil or false, false or nil)  -- expect: true\tno\tfalse\tnil
print(1 and 2 or 3, nil and 2 or 3, false and nil, 1 or error("not evaluated"))  -- expect: 2\t3\tfalse\t1
print(nil and nil or "x", 1 == 1 and "eq" or "ne", 1 == 2 and "eq" or "ne")  -- expect: x\teq\tne
print(not 1 and 2, not (1 and 2), not not nil)  -- expect: false\tfalse\tfalse
print(#"abc" + 1, -#"ab", #"a" .. "b")  -- expect: 4\t-2\t1b
print(~0, ~5 & 0xF, 1 | 2 ~ 3, 1 | (2 ~ 3), 6 & 3 | 8)  -- expect: -1\t10\t1\t1\t10
print(1 << 2 + 1, (1 << 2) + 1, 256 >> 4 >> 2, 1 << 63 >> 63)  -- expect: 8\t5\t4\t1
print(3 & 5 == 1, 5 ~ 3 < 7)  -- expect: true\ttrue
-- .. binds tighter than |, and bitwise operators do not convert strings
print(pcall(function() return 1 | 2 .. "" end))  -- expect: false\tprecedence.lua:22: attempt to perform bitwise operation on a string value
print(- - 2, not not 0, ~ ~ 7, - -2^2)  -- expect: 2\ttrue\t7\t4.0
print(2 ^ 2 * 3, 2 * 2 ^ 3, -2 ^ 0.5 ~= -2 ^ 0.5)  -- expect: 12.0\t16.0\tfalse

-- and/or short-circuit: the right operand is evaluated only when needed
local log = ""
local function v(x) log = log .. tostring(x) .. ";" return x end
local r = v(1) and v(false) and v(3)
print(r, log)  -- expect: false\t1;false;
log = ""
r = v(nil) or v(false) or v("z") or v("never")
print(r, log)  -- expect: z\tnil;false;z;

-- comparison operators are non-associative in meaning: (1 < 2) < 3 compares a boolean
print(pcall(load("return 1 < 2 < 3")))  -- expect: false\t[string "return 1 < 2 < 3"]:1: attempt to compare boolean with number
