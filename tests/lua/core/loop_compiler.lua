-- The loop compiler stops before an instruction whose operands it does not handle and the
-- interpreter raises the error there, with the interpreter's message and line (the divisor
-- becomes zero at i = 500, after the loop was compiled at about its hundredth iteration).
local function division(n, d)
  local q = 0
  for i = 1, n do
    q = q + i // (d - i)
  end
  return q
end
print(division(400, 500))  -- expect: 245
print(pcall(division, 1000, 500))  -- expect: false\tloop_compiler.lua:7: attempt to divide by zero
print(select(2, pcall(function()
  local r = 0
  for i = 1, 1000 do r = r + 7 % (500 - i) end
end)))  -- expect: loop_compiler.lua:15: attempt to perform 'n%0'

-- jit.off() keeps loops interpreted; the results are the same.
jit.off()
print(division(400, 500), jit.status())  -- expect: 245\tfalse
jit.on()
print(jit.status())  -- expect: true
