-- Lua's parser counts local variables as it declares them: past the limit (200 per function),
-- that is the error, even when the chunk also has a syntax error further on.
local function names(prefix, n)
  local t = {}
  for i = 1, n do t[i] = prefix .. i end
  return table.concat(t, ", ")
end

-- An unfinished function: the limit is met on line 3, before the missing 'end'.
print(load("\nfunction foo ()\n  local " .. names("a", 300) .. ", b\n"))
-- In the main function, with a syntax error after the declaration.
print(load("local " .. names("a", 201) .. "\nx = = 1"))
-- Parameters and locals together, in a nested function left open.
print(load("return function(" .. names("p", 150) .. ")\n  local " .. names("v", 60) .. "\n  if x then"))
-- The hidden variables of a numeric for count too.
print(load("local " .. names("a", 197) .. "\nfor i = 1, 2 do x = = 1 end"))
-- A syntax error before the limit is reached is reported as such.
print(load("local x = = 1\nlocal " .. names("a", 300)))
-- Exactly at the limit: only the syntax error.
print(load("local " .. names("a", 200) .. "\nx = = 1"))

-- Complete chunks report the limit the same way, naming the token Lua's parser was at.
print(load("\nfunction foo ()\n  local " .. names("a", 300) .. ", b\nend"))
print(load("local function f(a, b, c)\n" .. string.rep("local x\n", 198) .. "for i = 1, 2 do end end"))
-- Variables of nested functions are theirs, not the enclosing function's.
print(type(load("local function m()\n  local " .. names("a", 199) .. "\n  return function(...) end, function(t) function t:m() end end end")))
print(load("local t = {}\nfunction t:m(" .. names("a", 199) .. ")\n  local z end"))
