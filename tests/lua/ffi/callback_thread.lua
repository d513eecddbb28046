-- rivet-only: a callback that C calls on a thread of its own stops the process with a clear
-- message (a runtime belongs to one thread; running Lua there would be undefined behaviour).
local ffi = require("ffi")
ffi.cdef[[ int fx_call_on_thread(int (*f)(int)); ]]
local lib = ffi.load(os.getenv("RIVET_TEST_FIXTURE"))
print("before") -- expect: before
lib.fx_call_on_thread(function(x) return x end)
print("not reached")
-- error: rivet: a callback was called on a thread other than the one that owns its runtime
