-- The header of string.dump's output is Lua 5.4's binary chunk header (signature, version,
-- format, LUAC_DATA, sizes, then the integer and float checks), and damage to any byte of it,
-- or a truncation anywhere, makes load fail.
local header = string.pack("c4BBc6BBB", "\27Lua", 0x54, 0, "\x19\x93\r\n\x1a\n", 4,
  string.packsize("j"), string.packsize("n"))
local chunk = string.dump(function(x)
  local s = "a constant"
  return function() return s .. x end
end)
print("header", chunk:sub(1, #header) == header)
print("checks", string.unpack("jn", chunk, #header + 1))
print("runs", load(chunk)("!")())

local refused = 0
for i = 1, #header + string.packsize("jn") do
  local byte = chunk:byte(i)
  local damaged = chunk:sub(1, i - 1) .. string.char((byte + 1) % 256) .. chunk:sub(i + 1)
  if not load(damaged) then refused = refused + 1 end
end
print("damaged header bytes refused", refused, #header + string.packsize("jn"))

local truncated = 0
for i = 1, #chunk - 1 do
  local f, msg = load(chunk:sub(1, i))
  if not f and msg:find("truncated") then truncated = truncated + 1 end
end
print("truncations reported", truncated == #chunk - 1)
