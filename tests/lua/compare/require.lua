-- require and the package library: modules under modules/, searchers, messages.
-- Paths are set explicitly so that the output does not depend on the defaults.
package.path = "modules/?.lua;modules/?/init.lua"
package.cpath = "modules/?.so;modules/?/lib.so"

local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, " | "))
end

print("-- standard libraries are preloaded")
show(require("string") == string, require("table") == table, require("math") == math)
show(require("io") == io, require("os") == os, require("coroutine") == coroutine, require("utf8") == utf8)
show(package.loaded._G == _G, package.loaded.package == package, select("#", require("string")))
show(type(package.path), type(package.cpath), type(package.searchers), #package.searchers)
show((string.gsub(package.config, "\n", "|")))

print("-- a Lua module: arguments, loader data, caching")
local m, data = require("counter")
show(m.name, m.file, m.loads, data)
local again, data2 = require("counter")
show(again == m, data2, select("#", require("counter")), LOADS)
package.loaded.counter = nil
local fresh = require("counter")
show(fresh ~= m, fresh.loads)

print("-- what require stores")
show(require("noreturn"), package.loaded.noreturn, NORETURN_RAN)
show(require("selfstore"), package.loaded.selfstore)
show(require("falsy"), require("falsy"), FALSY_LOADS, package.loaded.falsy)

print("-- packages and submodules")
local p = require("pkg")
show(p.file, p.sub.name, p.sub.answer, package.loaded["pkg.sub"] == p.sub)
show(package.searchpath("pkg.sub", package.path))
show(package.searchpath("pkg", package.path))

print("-- a shebang line is skipped")
show(require("shebang"))

print("-- errors")
show(pcall(require, "nosuchmodule"))
show(pcall(require, "no.such.module"))
show(pcall(require, "broken"))
show(pcall(require, "failing"))
show(pcall(function() return require("nosuch") end))
show(pcall(require))
show(pcall(require, {}))

print("-- preload")
package.preload.virtual = function(...) return { args = table.pack(...) } end
local v, vdata = require("virtual")
show(v.args.n, v.args[1], v.args[2], vdata)
package.preload.virtual = nil
show(require("virtual") == v)

print("-- custom searchers")
local searchers = package.searchers
table.insert(searchers, 2, function(name)
  if name == "magic" then
    return function(n, extra) return "magic module " .. n .. " " .. extra end, "extra data"
  end
  return "\n\tno magic for '" .. name .. "'"
end)
show(require("magic"))
show(pcall(require, "nothing"))
table.remove(searchers, 2)
table.insert(searchers, 1, function() return nil end)
table.insert(searchers, 1, function() return 42 end)
show(pcall(require, "nothing2"))
table.remove(searchers, 1)
table.remove(searchers, 1)
table.insert(searchers, 1, function(name) if name == "onlyloader" then return function() return "one" end end end)
show(require("onlyloader"))
table.remove(searchers, 1)

print("-- bad package fields")
local oldpath = package.path
package.path = {}
show(pcall(require, "x1"))
package.path = 123
show(pcall(require, "x2"))
package.path = oldpath
local oldsearchers = package.searchers
package.searchers = 3
show(pcall(require, "x3"))
package.searchers = oldsearchers
local pkg = package
package = nil
show(require("counter") ~= nil)
package = pkg

print("-- searchpath")
show(package.searchpath("counter", "modules/?.lua"))
show(package.searchpath("a.b.c", "x/?.lua;y/?/init.lua;;?"))
show(package.searchpath("a.b", "?", "", ""))
show(package.searchpath("a-b", "?", "-", "+"))
show(package.searchpath("a::b", "?.z", "::", "/"))
show(package.searchpath("modules/counter.lua", "?", "/", "/"))
show(package.searchpath("m", ""))
show(pcall(package.searchpath))
show(pcall(package.searchpath, "m"))

print("-- a loader that raises")
package.preload.raising = function() error("loader failed", 0) end
show(pcall(require, "raising"))
show(package.loaded.raising)
package.preload.raising = function() error({ code = 7 }) end
local ok, e = pcall(require, "raising")
show(ok, type(e), e.code)

print("-- require with a number name")
package.preload["42"] = function(n) return "number " .. n end
show(require(42))
