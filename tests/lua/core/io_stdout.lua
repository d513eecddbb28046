-- Standard streams and default files: print, io.write and io.stdout share one buffer (their
-- output interleaves in call order), io.output/io.input switching, standard input read by a
-- child interpreter, io.popen in both directions. Expected values from lua5.4 (5.4.4).

io.write("a") print("b")  -- expect: ab
io.stdout:write("c") io.write("d\n")  -- expect: cd
io.write(1, " ", 2.5, " ", -0.0, " ", 1e15, " ", 2^63, " ", math.mininteger, "\n")  -- expect: 1 2.5 -0 1e+15 9.2233720368548e+18 -9223372036854775808
print(io.write("x") == io.stdout, io.output() == io.stdout, io.input() == io.stdin)  -- expect: xtrue\ttrue\ttrue
io.stdout:setvbuf("no") io.write("unbuffered ") io.stdout:setvbuf("full") io.write("full ") io.stdout:setvbuf("line") print("line")  -- expect: unbuffered full line
io.stderr:write("")
print(io.stdout:flush(), io.flush())  -- expect: true\ttrue
print(pcall(io.write, {}))  -- expect: false\tbad argument #1 to 'io.write' (string expected, got table)
print(pcall(io.write, "ok", nil))  -- expect: okfalse\tbad argument #2 to 'io.write' (string expected, got nil)

-- io.output to a file and back.
local name = os.tmpname()
io.output(name)
io.write("to file\n", 12, "\n")
print(io.output() ~= io.stdout, io.type(io.output()))  -- expect: true\tfile
io.close()
print(pcall(io.write, "x"))  -- expect: false\tdefault output file is closed
print(pcall(io.flush))  -- expect: false\tdefault output file is closed
print(pcall(io.close))  -- expect: false\tattempt to use a closed file
io.output(io.stdout)
local f = io.open(name)
print(f:read("l", "n"))  -- expect: to file\t12
f:close()
print(io.output(io.open(name, "a")) ~= io.stdout, io.write("more") ~= io.stdout)  -- expect: true\ttrue
io.output():close()
io.output(io.stdout)
print(io.close(), io.type(io.stdout))  -- expect: nil\tfile
print(pcall(io.output, io.open(name)), io.type(io.output()))  -- expect: true\tfile
io.output():close()
print(pcall(io.output, select(1, io.open(name)):close() and nil))  -- expect: true\tfile (closed)
io.output(io.stdout)

-- A child interpreter reading its standard input, fed through io.popen(..., "w"); its
-- output is captured in a file.
local script, out = os.tmpname(), os.tmpname()
local sf = io.open(script, "w")
sf:write([[
print(io.read("n", "n"))
print(io.read("l"))
print(io.read("L") == "second\n", io.read(3), io.read("a"), io.read("l"), io.read(0), io.read("a"))
io.write("x") print("y") io.write("z")
]])
sf:close()
local child = io.popen(arg[-1] .. " " .. script .. " > " .. out, "w")
child:write("12 3.5 rest of line\nsecond\nabcdefg")
print(child:close())  -- expect: true\texit\t0
local r = io.open(out)
print(r:read("l"))  -- expect: 12\t3.5
print(r:read("l"))  -- expect:  rest of line
print(r:read("l"))  -- expect: true\tabc\tdefg\tnil\tnil\t
print(r:read("l"))  -- expect: xy
print(r:read("a"))  -- expect: z
r:close()
-- The script itself comes from standard input ("-"): nothing is left for io.read.
local p = io.popen("echo 'print(io.read())' | " .. arg[-1] .. " -")
print(p:read("l"), p:read("l"))  -- expect: nil\tnil
print(p:close())  -- expect: true\texit\t0
os.remove(script)

-- io.popen reading, exit statuses, modes.
p = io.popen("echo hi; echo there")
print(p:read("l"), p:read("l"), p:read("l"))  -- expect: hi\tthere\tnil
print(p:close())  -- expect: true\texit\t0
print(io.popen("exit 3"):close())  -- expect: nil\texit\t3
print(io.popen("kill -9 $$"):close())  -- expect: nil\tsignal\t9
print(io.type(io.popen("true")))  -- expect: file
print(pcall(io.popen, "ls", "rw"))  -- expect: false\tbad argument #2 to 'io.popen' (invalid mode)
print(pcall(io.popen, "ls", "r+"))  -- expect: false\tbad argument #2 to 'io.popen' (invalid mode)
p = io.popen("cat > " .. name, "w")
print(p:write("via popen\n") == p, p:read("a"))  -- expect: true\tnil\tBad file descriptor\t9
print(p:close(), pcall(p.close, p))  -- expect: true\tfalse\tattempt to use a closed file
print(io.open(name):read("a") == "via popen\n")  -- expect: true
p = io.popen("echo 1 2 3")
print(p:write("x"))  -- expect: nil\tBad file descriptor\t9
print(p:read("n", "n", "n"))  -- expect: 1\t2\t3
p:close()
for l in io.popen("printf 'a\\nb\\n'"):lines() do io.write(l, ";") end print()  -- expect: a;b;
os.remove(name)
os.remove(out)
