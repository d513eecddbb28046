-- os.getenv, os.remove, os.rename, os.tmpname, os.execute, os.exit, os.setlocale.
-- Expected values from lua5.4 (5.4.4).

print(type(os.getenv("PATH")), os.getenv("RIVET_NO_SUCH_VARIABLE_XYZ"))  -- expect: string\tnil
print(pcall(os.getenv))  -- expect: false\tbad argument #1 to 'os.getenv' (string expected, got no value)

local name = os.tmpname()
local f = io.open(name)
print(type(name), io.type(f))  -- expect: string\tfile
f:close()
local other = name .. ".renamed"
print(os.rename(name, other))  -- expect: true
print(io.open(name), io.type(io.open(other)))  -- expect: nil\tfile
print(os.remove(other))  -- expect: true
print(select("#", os.remove(other)), select(3, os.remove(other)))  -- expect: 3\t2
print(os.remove("/nonexistent_dir_xyz/f"))  -- expect: nil\t/nonexistent_dir_xyz/f: No such file or directory\t2
print(os.rename("/nonexistent_xyz", "/nonexistent_xyz2"))  -- expect: nil\tNo such file or directory\t2
print(pcall(os.remove))  -- expect: false\tbad argument #1 to 'os.remove' (string expected, got no value)
local n1, n2 = os.tmpname(), os.tmpname()
print(n1 ~= n2, os.remove(n1), os.remove(n2))  -- expect: true\ttrue\ttrue

print(os.execute())  -- expect: true
print(os.execute("true"))  -- expect: true\texit\t0
print(os.execute("exit 3"))  -- expect: nil\texit\t3
print(os.execute("exit 300"))  -- expect: nil\texit\t44
print(os.execute("kill -9 $$"))  -- expect: nil\tsignal\t9

-- os.exit in a child interpreter: status, booleans, and output flushed at exit.
local function run(code)
  local p = io.popen(arg[-1] .. " -e '" .. code .. "'")
  local out = p:read("a")
  return out, p:close()
end
local out, ok, what, code = run("io.write(1) print(2) io.write(3) os.exit(5)")
print(out == "12\n3", ok, what, code)  -- expect: true\tnil\texit\t5
print(run("io.stdout:write(1) os.exit(true)"))  -- expect: 1\ttrue\texit\t0
print(run("os.exit(false)"))  -- expect: \tnil\texit\t1
print(run("os.exit()"))  -- expect: \ttrue\texit\t0
print(run("setmetatable({}, {__gc = function() io.write(\"gc\") end}) os.exit(0, true)"))  -- expect: gc\ttrue\texit\t0
print(run("setmetatable({}, {__gc = function() io.write(\"gc\") end}) os.exit(0)"))  -- expect: \ttrue\texit\t0
print(pcall(os.exit, "x"))  -- expect: false\tbad argument #1 to 'os.exit' (number expected, got string)

print(os.setlocale(), os.setlocale("C"), os.setlocale(nil, "all"), os.setlocale("POSIX", "numeric"))  -- expect: C\tC\tC\tC
print(os.setlocale("xx_YY"), os.setlocale("xx_YY", "time"))  -- expect: nil\tnil
print(pcall(os.setlocale, nil, "bad"))  -- expect: false\tbad argument #2 to 'os.setlocale' (invalid option 'bad')
