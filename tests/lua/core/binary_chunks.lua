-- Binary chunks that are not rivet's are refused with a message naming the problem.
-- `luac5.4 -s` of "return 1" (the bytes lua5.4's string.dump also writes):
local luac54 = "\27\76\117\97\84\0\25\147\13\10\26\10\4\8\8\120\86\0\0\0\0\0\0\0\0\0\0\0\40\119\64\1\128\128\128\0\1\2\132\81\0\0\0\1\0\0\128\70\0\2\1\70\0\1\1\128\129\1\0\0\128\128\128\128\128"
-- `luajit -b` of "return 1":
local luajit = "\27\76\74\2\10\15\2\0\1\0\0\0\2\41\0\1\0\76\0\2\0\0"

print(load(luac54, "=luac.out"))
-- expect: nil\tluac.out: bad binary format (a chunk precompiled by the reference Lua (luac or its string.dump); rivet loads only its own binary chunks, load the source instead)
print(load(luajit))
-- expect: nil\tbinary string: bad binary format (LuaJIT bytecode; rivet loads only its own binary chunks)
print(load("\27Lua\83\0"))
-- expect: nil\tbinary string: bad binary format (version mismatch: a chunk for Lua 5.3; rivet loads only its own binary chunks)
print(load("\27Lux"))
-- expect: nil\tbinary string: bad binary format (not a binary chunk)
print(load(luac54, "=t", "t"))
-- expect: nil\tattempt to load a binary chunk (mode is 't')

-- A rivet chunk with a damaged header or body.
local good = string.dump(function(a) return a * 2 end)
print(load(good)(21))
-- expect: 42
local function patched(at, byte) return good:sub(1, at - 1) .. string.char(byte) .. good:sub(at + 1) end
print(load(patched(37, 99)))
-- expect: nil\tbinary string: bad binary format (made by another rivet version (bytecode format 99, this rivet reads format 2))
print(load(patched(9, 10), "@x.luac"))
-- expect: nil\tx.luac: bad binary format (corrupted chunk (altered by a text-mode conversion))
print(load(good .. "\0", "=extra"))
-- expect: nil\textra: bad binary format (corrupted chunk (extra bytes after the main function))

-- Damage that only the verifier sees: instructions whose operands leave the frame.
local ok, fails = 0, 0
for i = 42, #good do
  for _, bit in ipairs({1, 16, 128}) do
    local b = good:byte(i) ~ bit
    local f = load(patched(i, b))
    if f then
      if pcall(f, 21) then ok = ok + 1 end
    else
      fails = fails + 1
    end
  end
end
print(fails > 0, ok > 0)
-- expect: true\ttrue

-- The command line runs binary chunk files too.
local name = os.tmpname()
local f = assert(io.open(name, "wb"))
f:write(string.dump(function(...) print("binary script", ...) end))
f:close()
local p = io.popen(string.format("%q %q one two", arg[-1], name))
io.write(p:read("a"))
-- expect: binary script\tone\ttwo
p:close()
os.remove(name)
