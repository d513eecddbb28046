-- io.open modes, file methods (write, read, seek, flush, setvbuf, close), io.type,
-- tostring, closed-file errors, luaL_fileresult failures. Expected values from lua5.4 (5.4.4).

local name = os.tmpname()
local f = assert(io.open(name, "w"))
print(io.type(f), io.type(io.stdout), io.type(42), io.type(nil), pcall(io.type))  -- expect: file\tfile\tnil\tnil\tfalse\tbad argument #1 to 'io.type' (value expected)
print(f:write("hello\n", 42, " ", 1.5, " ", 1.0, " ", -0.0, " ", 2^63, " ", 1e100, "\n") == f)  -- expect: true
print(f:write() == f, f:flush(), io.type(f))  -- expect: true\ttrue\tfile
print(f:seek("cur"), f:seek("set", 2), f:seek("end"), f:seek(), f:seek("cur", -3))  -- expect: 45\t2\t45\t45\t42
print(f:close(), io.type(f), tostring(f))  -- expect: true\tclosed file\tfile (closed)
print(pcall(f.close, f))  -- expect: false\tattempt to use a closed file
print(pcall(f.read, f))  -- expect: false\tattempt to use a closed file
print(pcall(f.write, f, "x"))  -- expect: false\tattempt to use a closed file
print(pcall(f.lines, f))  -- expect: false\tattempt to use a closed file
print(pcall(f.seek, f))  -- expect: false\tattempt to use a closed file
print(pcall(io.close, f))  -- expect: false\tattempt to use a closed file

-- Reading back with formats.
f = io.open(name)
print(f:read("l", "n", "n", "l"))  -- expect: hello\t42\t1.5\t 1 -0 9.2233720368548e+18 1e+100
print(f:read("a"))  -- expect:
print(f:read("a"), f:read("l"), f:read(1), f:read(0), f:read("n"))  -- expect: \tnil\tnil\tnil\tnil
f:seek("set")
local a, b, c = f:read(3, 0, "L")
print(a, b, c == "lo\n")  -- expect: hel\t\ttrue
print(f:read("*l", "*n"))  -- expect: 42 1.5 1 -0 9.2233720368548e+18 1e+100\tnil
f:seek("set", 1)
print(f:read(0), f:read(2), f:seek("cur"))  -- expect: \tel\t3
print(pcall(f.read, f, "x"))  -- expect: false\tbad argument #2 to '?' (invalid format)
print(pcall(f.read, f, {}))  -- expect: false\tbad argument #2 to '?' (string expected, got table)
print(pcall(f.read, f, 1.5))  -- expect: false\tbad argument #2 to '?' (number has no integer representation)
print(pcall(f.seek, f, "bad"))  -- expect: false\tbad argument #2 to '?' (invalid option 'bad')
print(pcall(f.seek, f, "set", 1.5))  -- expect: false\tbad argument #3 to '?' (number has no integer representation)
print(f:seek("set", -1))  -- expect: nil\tInvalid argument\t22
print(f:seek("cur", -100))  -- expect: nil\tInvalid argument\t22
print(f:setvbuf("no"), f:setvbuf("full", 100), f:setvbuf("line"), pcall(f.setvbuf, f, "bad"))  -- expect: true\ttrue\ttrue\tfalse\tbad argument #2 to '?' (invalid option 'bad')
print(pcall(f.setvbuf, f))  -- expect: false\tbad argument #2 to '?' (string expected, got no value)
print(f:write("x"))  -- expect: nil\tBad file descriptor\t9
f:close()

-- Modes.
print(pcall(io.open, name, "rw"))  -- expect: false\tbad argument #2 to 'io.open' (invalid mode)
print(pcall(io.open, name, "rb+"))  -- expect: false\tbad argument #2 to 'io.open' (invalid mode)
print(pcall(io.open, name, ""))  -- expect: false\tbad argument #2 to 'io.open' (invalid mode)
print(io.type(io.open(name, "r+b")), io.type(io.open(name, "rb")), io.type(io.open(name, "a+bb")))  -- expect: file\tfile\tfile
print(io.open("/nonexistent/x", "r"))  -- expect: nil\t/nonexistent/x: No such file or directory\t2
print(io.open("/nonexistent/x", "w"))  -- expect: nil\t/nonexistent/x: No such file or directory\t2
f = io.open(name, "w") print(f:read("a")) f:close()  -- expect: nil\tBad file descriptor\t9
f = io.open(name, "a+") f:write("one\n") f:seek("set") f:write("two\n") f:seek("set") print(f:read("a") == "one\ntwo\n") f:close()  -- expect: true
f = io.open(name, "r+") f:write("ONE") f:seek("set") print(f:read("l", "l")) f:close()  -- expect: ONE\ttwo
f = io.open(name, "w+") f:write("1 2 3") f:seek("set", 0) print(f:read("n", "n", "n", "n")) f:close()  -- expect: 1\t2\t3\tnil
f = io.open(name, "r") print(f:write("x")) f:close()  -- expect: nil\tBad file descriptor\t9
f = io.open(name, "rb") print(f:read("a")) f:close()  -- expect: 1 2 3
-- Reading after writing without a seek lands after the written bytes.
f = io.open(name, "w+") f:write("abcdef") f:seek("set", 1)
print(f:read(2)) f:write("XY") f:seek("set")  -- expect: bc
print(f:read("a")) f:close()  -- expect: abcXYf
-- A directory opens, but cannot be read.
print(io.type(io.open("/tmp")), io.open("/tmp"):read(1))  -- expect: file\tnil\tIs a directory\t21

-- tostring and the metatable.
print(tostring(io.stdout) ~= tostring(io.stderr), tostring(io.stdin) == tostring(io.stdin))  -- expect: true\ttrue
local mt = getmetatable(io.stdout)
print(mt.__name, mt.__index == mt, type(mt.__gc), type(mt.__close), type(mt.__tostring))  -- expect: FILE*\tfalse\tfunction\tfunction\tfunction
print(mt.__index.read == io.stdin.read, io.read == io.stdin.read)  -- expect: true\tfalse
print(pcall(io.stdout.write, 42))  -- expect: false\tbad argument #1 to '?' (FILE* expected, got number)
print(pcall(io.stdout.write))  -- expect: false\tbad argument #1 to '?' (FILE* expected, got no value)
print(pcall(io.stdout.write, io.stdout, {}))  -- expect: false\tbad argument #2 to '?' (string expected, got table)
print(pcall(io.stdout.close))  -- expect: false\tbad argument #1 to '?' (FILE* expected, got no value)
print(io.stdout:close())  -- expect: nil\tcannot close standard file
print(io.type(io.stdout), io.stderr:close())  -- expect: file\tnil\tcannot close standard file
print(pcall(io.open))  -- expect: false\tbad argument #1 to 'io.open' (string expected, got no value)
print(pcall(io.open, name, 5))  -- expect: false\tbad argument #2 to 'io.open' (invalid mode)

-- io.tmpfile, to-be-closed handles and collection.
local tf = io.tmpfile()
tf:write("tmp data") tf:seek("set")
print(tf:read("a"), io.type(tf), tf:close())  -- expect: tmp data\tfile\ttrue
do
  local g <close> = io.open(name)
  kept = g
end
print(io.type(kept))  -- expect: closed file
local w = io.open(name, "w")
w:write("written by a collected handle")
w = nil
collectgarbage() collectgarbage()
print(io.open(name):read("a"))  -- expect: written by a collected handle
print(os.remove(name))  -- expect: true
