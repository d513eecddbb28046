-- LuaJIT's Lua 5.1 names that need Lua 5.4's _ENV: module() and the errors of setfenv and
-- getfenv (stdlib/src/luajit.rs). The module example prints what luajit prints.
local print, pcall, setfenv, getfenv = print, pcall, setfenv, getfenv

print(pcall(setfenv, 0, {})) -- expect: false\t'setfenv' cannot change the environment of a thread: Lua 5.4 has no per-thread globals
print(pcall(getfenv, 100)) -- expect: false\tbad argument #1 to 'getfenv' (invalid level)
print(pcall(setfenv, print, {})) -- expect: false\t'setfenv' cannot change the environment of a native function

-- module: the rest of the chunk runs with the module table as its environment.
module("demo.inner", package.seeall)
function hello() return "hello from " .. _NAME end
print(_M == demo.inner, _PACKAGE, hello(), package.loaded["demo.inner"] == _M) -- expect: true\tdemo.\thello from demo.inner\ttrue
print(getfenv(hello) == _M, getfenv(1) == _M) -- expect: true\ttrue
