-- What LuaJIT 2.1 has beyond Lua 5.4's libraries: the jit table and the Lua 5.1 names its
-- libraries keep (stdlib/src/luajit.rs). Each expectation is what LuaJIT prints, except
-- where marked: rivet's math functions give floats, which Lua 5.4 prints with a ".0".
local rivet = _VERSION == "Lua 5.4"

-- jit: the host's names; the version is a LuaJIT 2.1 one; no trace compiler to switch.
print(type(jit), jit.os, jit.arch, jit.version:match("^LuaJIT 2%.1%.") ~= nil, jit.version_num >= 20100) -- expect: table\tLinux\tx64\ttrue\ttrue
print(require("jit") == jit, package.loaded.jit == jit, jit.on(), jit.off(), jit.flush()) -- expect: true\ttrue\tnil\tnil
-- (LuaJIT's own answer is false too once jit.off() ran.)
print((jit.status())) -- expect: false
-- ffi is not a global.
print(ffi, type(require("ffi"))) -- expect: nil\ttable

-- Aliases.
print(unpack({ 1, 2, 3 })) -- expect: 1\t2\t3
print(loadstring("return 1 + 1")(), loadstring == load or not rivet) -- expect: 2\ttrue
print(math.atan2(1, 1) == math.atan(1, 1), package.loaders == package.searchers or not rivet) -- expect: true\ttrue

-- Functions Lua 5.4 dropped.
-- luajit: 1024\t1\t0\t0\t3
print(math.pow(2, 10), math.cosh(0), math.sinh(0), math.tanh(0), math.log10(1000)) -- expect: 1024.0\t1.0\t0.0\t0.0\t3.0
print(math.frexp(-3)) -- expect: -0.75\t2
-- luajit: 0.5\t8\t0\tinf
print(math.frexp(8), math.ldexp(0.5, 4), math.ldexp(1, -1075), math.ldexp(1, 1024)) -- expect: 0.5\t8.0\t0.0\tinf
print(table.getn({ 1, 2, 3 }), table.maxn({ 1, 2, [10] = 3, [2.5] = 4 }), table.maxn({}), table.maxn({ [10.5] = 1 })) -- expect: 3\t10\t0\t10.5
print(table.foreach({ 10 }, function(k, v) return k + v end)) -- expect: 11
print(table.foreachi({ 5, 6 }, function(i, v) if v == 6 then return "six" end end)) -- expect: six
table.foreachi({ "x", "y" }, print)
-- expect: 1\tx
-- expect: 2\ty
print(type(gcinfo()), gcinfo() > 0) -- expect: number\ttrue
local p = newproxy(true)
local q, r = newproxy(p), newproxy()
print(type(p), type(getmetatable(p)), getmetatable(q) == getmetatable(p), getmetatable(r)) -- expect: userdata\ttable\ttrue\tnil
-- luajit: false\tbad argument #1 to '?' (boolean or proxy expected)
print(pcall(newproxy, {})) -- expect: false\tbad argument #1 to 'newproxy' (boolean or proxy expected)

-- Function environments, on _ENV.
x = "global"
local function f() return x end
local function g() return x end
print(getfenv(f) == _G, getfenv() == _G, getfenv(0) == _G, getfenv(1) == _G, getfenv(print) == _G) -- expect: true\ttrue\ttrue\ttrue\ttrue
print(setfenv(f, { x = "mine" }) == f, f(), g(), getfenv(f).x) -- expect: true\tmine\tglobal\tmine
-- A function that reads no global keeps working.
local function h() return 1 end
print(setfenv(h, {}) == h, h()) -- expect: true\t1
-- setfenv(1, t) changes the caller's environment.
local function set_own() setfenv(1, { x = "own" }) return x end
print(set_own(), x) -- expect: own\tglobal
-- luajit: false\t'setfenv' cannot change environment of given object
print(pcall(setfenv, print, {})) -- expect: false\t'setfenv' cannot change the environment of a native function
local m = {}
package.seeall(m)
print(m.print == print, debug.getfenv(f).x) -- expect: true\tmine
-- Userdata have no environment in Lua 5.4 (LuaJIT gives each one a table).
if rivet then
  -- luajit: (skip)
  print(debug.getfenv(p)) -- expect: nil
end
