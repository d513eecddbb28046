-- io.lines and file:lines: formats, closing at the end, "file is already closed", the
-- 4 results of io.lines (the file is a to-be-closed value), errors. Expected values from
-- lua5.4 (5.4.4).

local name = os.tmpname()
local f = io.open(name, "w")
f:write("hello\n42 1.5 1 -0\n\nlast")
f:close()

local out = {}
for l in io.lines(name) do out[#out + 1] = "[" .. l .. "]" end
print(table.concat(out))  -- expect: [hello][42 1.5 1 -0][][last]
out = {}
for a, b in io.lines(name, 1, "n") do out[#out + 1] = tostring(a) .. "/" .. tostring(b) end
print(#out, out[1], out[5], out[6], out[8])  -- expect: 13\th/nil\to/42\t /1.5\t /0
out = {}
for c in io.lines(name, 4) do out[#out + 1] = c end
print(#out, out[1], out[#out])  -- expect: 6\thell\tast
out = {}
for l in io.lines(name, "L") do out[#out + 1] = l end
print(table.concat(out) == "hello\n42 1.5 1 -0\n\nlast", #out)  -- expect: true\t4
out = {}
for n in io.lines(name, "n") do out[#out + 1] = n end
print(#out)  -- expect: 0

-- io.lines(name) returns the iterator, two nils and the file; it closes the file at the end.
local it, s, c, file = io.lines(name)
print(type(it), s, c, io.type(file))  -- expect: function\tnil\tnil\tfile
print(it(), it(), it(), it())  -- expect: hello\t42 1.5 1 -0\t\tlast
print(it(), io.type(file))  -- expect: nil\tclosed file
print(pcall(it))  -- expect: false\tfile is already closed
-- Breaking out of the loop closes the file too (to-be-closed variable).
for l in io.lines(name) do kept = select(4, io.lines(name)) break end
print(io.type(kept))  -- expect: file

-- file:lines does not close the file.
f = io.open(name)
for l in f:lines() do end
print(io.type(f), f:read("a"), f:seek("set"))  -- expect: file\t\t0
local nums = {}
for a, b, c in f:lines("l", "n", "l") do nums[#nums + 1] = a .. "," .. tostring(b) .. "," .. tostring(c) break end
print(nums[1])  -- expect: hello,42, 1.5 1 -0
local lf = f:lines()
f:close()
print(pcall(lf))  -- expect: false\tfile is already closed

-- Default input.
io.input(name)
out = {}
for l in io.lines() do out[#out + 1] = l end
print(#out, io.type(io.input()))  -- expect: 4\tfile
print(io.read("l"), io.read(0))  -- expect: nil\tnil
io.input():close()
print(pcall(io.lines))  -- expect: false\tattempt to use a closed file
print(pcall(io.read))  -- expect: false\tdefault input file is closed
io.input(io.stdin)

-- Errors.
print(pcall(io.lines, "/nonexistent/x"))  -- expect: false\tcannot open file '/nonexistent/x' (No such file or directory)
print((pcall(io.lines, name, "x")))  -- expect: true
print(pcall(function() for l in io.lines(name, "x") do end end))  -- expect: false\tio_lines.lua:61: bad argument #2 to 'for iterator' (invalid format)
print(pcall(function() for l in io.lines(name, {}) do end end))  -- expect: false\tio_lines.lua:62: bad argument #2 to 'for iterator' (string expected, got table)
local many = {}
for i = 1, 251 do many[i] = "l" end
print(pcall(io.lines, name, table.unpack(many)))  -- expect: false\tbad argument #252 to 'io.lines' (too many arguments)
many[251] = nil
print(select("#", io.lines(name, table.unpack(many))))  -- expect: 4
print(pcall(io.lines, {}))  -- expect: false\tbad argument #1 to 'io.lines' (string expected, got table)
print(pcall(io.input, {}))  -- expect: false\tbad argument #1 to 'io.input' (FILE* expected, got table)
print(pcall(io.input, "/nonexistent/x"))  -- expect: false\tcannot open file '/nonexistent/x' (No such file or directory)
print(pcall(f.lines, f))  -- expect: false\tattempt to use a closed file
os.remove(name)
