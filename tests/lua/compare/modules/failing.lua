-- A module whose body raises an error.
local t = nil
return t.field
