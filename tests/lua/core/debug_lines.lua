-- Line events where Lua 5.4.8 differs from 5.4.4 (whose lua5.4 the compare tests use): a
-- call whose string argument spans lines is on the line where the argument ends, and the
-- called function is fetched on its own line.

local function trace(code)
  local f = assert(load(code, "=code"))
  local lines = {}
  local function hook(_, line) lines[#lines + 1] = line end
  debug.sethook(hook, "l"); f(); debug.sethook()
  return table.concat(lines, ",")
end

print(trace("f = load[[\n  return 1\n]]\n"))  -- expect: 1,3
print(trace("f = load\n'return 1'\n"))  -- expect: 1,2
print(trace("x = tostring(\n1\n)\n"))  -- expect: 1,3,1,3
f, x = nil, nil
