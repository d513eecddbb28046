local lines = {}
local function hook(event, line) lines[#lines + 1] = line end
debug.sethook(hook, "l")
local x = 1
x = x + 1
debug.sethook()
print(table.concat(lines, " "))          -- expect: 4 5 6
print(debug.getinfo(print, "S").what)    -- expect: C
print(debug.traceback("here"))           -- expect: here
-- expect: stack traceback:
-- expect: \tdebug_readme.lua:9: in main chunk
-- The debug library example of the README, line for line (the line numbers are part of it).
