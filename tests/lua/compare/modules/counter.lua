-- A module that counts how often it was loaded and shows its arguments.
LOADS = (LOADS or 0) + 1
local name, file = ...
return { name = name, file = file, loads = LOADS }
