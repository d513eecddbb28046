-- The utf8 library: char, charpattern, codes, codepoint, len, offset; strict and lax modes.
-- Expected values from lua5.4 (5.4.4).

local function codes(s, lax)
  local out = {}
  for p, c in utf8.codes(s, lax) do out[#out + 1] = p .. ":" .. c end
  return table.concat(out, " ")
end
print(codes("aé€😀"))  -- expect: 1:97 2:233 4:8364 7:128512
print(codes(""), codes("abc"))  -- expect: \t1:97 2:98 3:99
print(pcall(codes, "a\x80b"))  -- expect: false\tutf8_lib.lua:6: invalid UTF-8 code
print(pcall(codes, "a\xe4\x80"))  -- expect: false\tutf8_lib.lua:6: invalid UTF-8 code
print(pcall(codes, "ab\xff"))  -- expect: false\tutf8_lib.lua:6: invalid UTF-8 code
print(pcall(codes, "\u{D800}"), codes("\u{D800}", true))  -- expect: false\t1:55296
print(codes("\u{7FFFFFFF}", true), pcall(codes, "\u{7FFFFFFF}"))  -- expect: 1:2147483647\tfalse\tutf8_lib.lua:6: invalid UTF-8 code
print(pcall(codes, "\xC0\x80"))  -- expect: false\tutf8_lib.lua:6: invalid UTF-8 code
print(pcall(utf8.codes, 1), pcall(utf8.codes))  -- expect: true\tfalse\tbad argument #1 to 'utf8.codes' (string expected, got no value)

print(utf8.len("aé€😀"), utf8.len(""), utf8.len("abc", 4), utf8.len("abc", -1))  -- expect: 4\t0\t0\t1
print(utf8.len("a\x80"))  -- expect: nil\t2
print(utf8.len("\u{D800}"))  -- expect: nil\t1
print(utf8.len("\u{D800}", 1, -1, true), utf8.len("\u{7FFFFFFF}", 1, -1, true), utf8.len("\u{110000}"))  -- expect: 1\t1\tnil\t1
print(utf8.len("aé€", 2), utf8.len("aé€", 3))  -- expect: 2\tnil\t3
print(utf8.len("aé€", 1, 2), utf8.len("aé€", -3), utf8.len("\xF4\x90\x80\x80"))  -- expect: 2\t1\tnil\t1
print(pcall(utf8.len, "abc", 5))  -- expect: false\tbad argument #2 to 'utf8.len' (initial position out of bounds)
print(pcall(utf8.len, "abc", 0))  -- expect: false\tbad argument #2 to 'utf8.len' (initial position out of bounds)
print(pcall(utf8.len, "abc", 1, 4))  -- expect: false\tbad argument #3 to 'utf8.len' (final position out of bounds)

print(utf8.codepoint("aé€", 1, -1))  -- expect: 97\t233\t8364
print(utf8.codepoint("abc"), utf8.codepoint("abc", 3), utf8.codepoint("abc", -1), select("#", utf8.codepoint("abc", 3, 2)))  -- expect: 97\t99\t99\t0
print(utf8.codepoint("\u{10FFFF}"), utf8.codepoint("\u{7FFFFFFF}", 1, 1, true))  -- expect: 1114111\t2147483647
print(pcall(utf8.codepoint, "a\x80", 1, -1))  -- expect: false\tinvalid UTF-8 code
print(pcall(utf8.codepoint, "\u{7FFFFFFF}"))  -- expect: false\tinvalid UTF-8 code
print(pcall(utf8.codepoint, "abc", 0))  -- expect: false\tbad argument #2 to 'utf8.codepoint' (out of bounds)
print(pcall(utf8.codepoint, "abc", 1, 4))  -- expect: false\tbad argument #3 to 'utf8.codepoint' (out of bounds)

print(#utf8.char(72, 228, 8364, 128512, 0x7FFFFFFF), utf8.char(72, 228, 8364, 128512) == "Hä€😀")  -- expect: 16\ttrue
print(utf8.char(0x7FFFFFFF) == "\u{7FFFFFFF}", utf8.char(0x10FFFF) == "\u{10FFFF}", utf8.char(0) == "\0")  -- expect: true\ttrue\ttrue
print(utf8.char(), utf8.char(65, 66, 67), utf8.char("65"))  -- expect: \tABC\tA
print(pcall(utf8.char, -1))  -- expect: false\tbad argument #1 to 'utf8.char' (value out of range)
print(pcall(utf8.char, 0x80000000))  -- expect: false\tbad argument #1 to 'utf8.char' (value out of range)
print(pcall(utf8.char, 65, "x"))  -- expect: false\tbad argument #2 to 'utf8.char' (number expected, got string)
print(utf8.charpattern == "[\0-\x7F\xC2-\xFD][\x80-\xBF]*")  -- expect: true

print(utf8.offset("aé€", 3), utf8.offset("aé€", -1), utf8.offset("aé€", 0, 3), utf8.offset("aé€", 5), utf8.offset("aé€", 4))  -- expect: 4\t4\t2\tnil\t7
print(utf8.offset("abc", 1, 4), utf8.offset("abc", -1, 4), utf8.offset("abc", 0, 4), utf8.offset("abc", -4))  -- expect: 4\t3\t4\tnil
print(utf8.offset("aé€", 2, 2), utf8.offset("aé€", -2), utf8.offset("", 1), utf8.offset("", -1))  -- expect: 4\t2\t1\tnil
print(pcall(utf8.offset, "aé€", 1, 3))  -- expect: false\tinitial position is a continuation byte
print(pcall(utf8.offset, "abc", 1, 5))  -- expect: false\tbad argument #3 to 'utf8.offset' (position out of bounds)
print(pcall(utf8.offset, "abc", 1, 0))  -- expect: false\tbad argument #3 to 'utf8.offset' (position out of bounds)

-- utf8.codes rejects a stray continuation byte after a character and at the start (5.4.8)
print(pcall(function() for _ in utf8.codes("in\x80valid") do end end))  -- expect: false\tutf8_lib.lua:53: invalid UTF-8 code
print(pcall(utf8.codes, "\xbfinvalid"))  -- expect: false\tbad argument #1 to 'utf8.codes' (invalid UTF-8 code)
print(pcall(function() for _ in utf8.codes("αλφ\xBFα") do end end))  -- expect: false\tutf8_lib.lua:55: invalid UTF-8 code
