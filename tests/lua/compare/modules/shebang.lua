#!/usr/bin/env lua
-- A module starting with a shebang line.
return "shebang ok"
