-- goto and labels: continue pattern, backward jumps forming loops, jumping out of nested
-- blocks and loops, labels at the end of blocks, visibility rules, closures capturing
-- per-iteration locals in goto loops, and the errors reported by load.

-- continue
local out = ""
for i = 1, 10 do
  if i % 2 == 0 then goto continue end
  out = out .. i
  ::continue::
end
print(out)  -- expect: 13579

-- continue in while and repeat loops
local i = 0
out = ""
while i < 6 do
  i = i + 1
  if i == 3 then goto next end
  out = out .. i
  ::next::
end
print(out)  -- expect: 12456
i = 0
out = ""
repeat
  i = i + 1
  if i == 2 then goto cont end
  out = out .. i
  ::cont::
until i >= 4
print(out)  -- expect: 134

-- a backward jump builds a loop
local n = 0
::top::
n = n + 1
if n < 5 then goto top end
print(n)  -- expect: 5

-- breaking out of nested loops
local found
for a = 1, 5 do
  for b = 1, 5 do
    if a * b == 12 then found = a .. "x" .. b; goto done end
  end
end
::done::
print(found)  -- expect: 3x4

-- a goto loop creates a fresh local for each pass; closures see different variables
local fns = {}
do
  local k = 1
  ::loop::
  local captured = k * 10
  fns[k] = function() return captured end
  k = k + 1
  if k <= 3 then goto loop end
end
print(fns[1](), fns[2](), fns[3]())  -- expect: 10\t20\t30

-- sibling blocks may reuse label names; a goto sees labels of enclosing blocks
out = ""
do
  goto a
  out = out .. "skipped"
  ::a::
  out = out .. "first"
end
do
  goto a
  out = out .. "skipped too"
  ::a::
  out = out .. "second"
end
do
  ::outer::
  do
    out = out .. "."
    if #out < 15 then goto outer end
  end
end
print(out)  -- expect: firstsecond....

-- a label at the end of a block can be jumped to even after local declarations
do
  goto finish
  local unused = 1
  ::finish::
end
print("end-of-block label ok")  -- expect: end-of-block label ok

-- jumping forward over a nested function definition
do
  goto skip
  local function never() return 1 end
  ::skip::
end
print("skip ok")  -- expect: skip ok

-- errors detected at compile time
print(load("goto nowhere"))  -- expect: nil\t[string "goto nowhere"]:1: no visible label 'nowhere' for <goto> at line 1
print(load("do ::l:: end goto l"))  -- expect: nil\t[string "do ::l:: end goto l"]:1: no visible label 'l' for <goto> at line 1
print(load("goto f; local x; ::f:: print(x)"))  -- expect: nil\t[string "goto f; local x; ::f:: print(x)"]:1: <goto f> at line 1 jumps into the scope of local 'x'
print(load("::dup:: ::dup::"))  -- expect: nil\t[string "::dup:: ::dup::"]:1: label 'dup' already defined on line 1
print(type(load("for i = 1, 2 do goto cont end ::cont::")))  -- expect: function
print(load("local function f() goto out end ::out::"))  -- expect: nil\t[string "local function f() goto out end ::out::"]:1: no visible label 'out' for <goto> at line 1
print(load("repeat goto c; local z = 1; ::c:: until z"))  -- expect: nil\t[string "repeat goto c; local z = 1; ::c:: until z"]:1: <goto c> at line 1 jumps into the scope of local 'z'
print(load("goto = 1"))  -- expect: nil\t[string "goto = 1"]:1: <name> expected near '='
print(load("::1::"))  -- expect: nil\t[string "::1::"]:1: <name> expected near '1'
print(load("::a:: do ::a:: end"))  -- expect: nil\t[string "::a:: do ::a:: end"]:1: label 'a' already defined on line 1
