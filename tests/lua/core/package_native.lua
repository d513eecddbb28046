-- Native Lua C modules: rivet searches package.cpath like Lua, and a module found there
-- fails with a message saying why; package.loadlib fails like a Lua without dynamic libraries.
local so = os.tmpname()          -- an existing file stands in for a compiled C module
local dir, base = so:match("^(.*/)([^/]+)$")
package.path = ""
package.cpath = dir .. "?"
local function plain(s) return (s:gsub("[%p]", "%%%0")) end
local function show(ok, msg) print(ok, (msg:gsub(plain(dir), "DIR/"):gsub(plain(base), "MOD"))) end

show(pcall(require, base))
-- expect: false\terror loading module 'MOD' from file 'DIR/MOD':
-- expect: \tnative Lua C modules cannot be loaded by rivet (it has no Lua C API)

-- The all-in-one searcher: a submodule of a C library is also refused.
show(pcall(require, base .. ".sub"))
-- expect: false\terror loading module 'MOD.sub' from file 'DIR/MOD':
-- expect: \tnative Lua C modules cannot be loaded by rivet (it has no Lua C API)
os.remove(so)

local f, err, when = package.loadlib("libm.so.6", "sin")
print(f, when, err)
-- expect: nil\tabsent\tcannot load 'libm.so.6': rivet cannot load native libraries through package.loadlib (it has no Lua C API)
print(pcall(package.loadlib, "x"))
-- expect: false\tbad argument #2 to 'package.loadlib' (string expected, got no value)

-- A directory found on the path is a file that cannot be read, as in Lua.
package.path = "/?"
print(pcall(require, "tmp"))
-- expect: false\terror loading module 'tmp' from file '/tmp':
-- expect: \tcannot read /tmp: Is a directory
