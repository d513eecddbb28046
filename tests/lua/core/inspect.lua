-- rivet.inspect: the README's examples, and the rules they stand for (sequence first, sorted
-- keys, labels for tables met twice, depth and limit cuts, metamethods never run).

local t = { "a", "b", n = 2, nested = { ok = true } }
t.self = t
print(rivet.inspect(t))  -- expect: <1>{ "a", "b", n = 2, nested = { ok = true }, self = <table 1> }
print(rivet.inspect(t, { depth = 1 }))  -- expect: <1>{ "a", "b", n = 2, nested = {...}, self = <table 1> }
print(rivet.inspect({ 1, 2, 3, 4 }, { limit = 2 }))  -- expect: { 1, 2, ... (2 more) }

-- any value, not only tables
print(rivet.inspect("line\n\"quoted\""), rivet.inspect(1.5), rivet.inspect(nil))  -- expect: "line\n\"quoted\""\t1.5\tnil

-- keys that are not names are bracketed
print(rivet.inspect({ [10] = 1, ["a key"] = 2, [true] = 3, ["end"] = 4 }))  -- expect: { [10] = 1, ["a key"] = 2, ["end"] = 4, [true] = 3 }

-- too wide for one line: one entry per line
print(rivet.inspect({ alpha = "aaaa", beta = "bbbb" }, { width = 20, indent = "    " }))  -- expect: {
-- expect:     alpha = "aaaa",
-- expect:     beta = "bbbb",
-- expect: }

-- a proxy shows its raw contents; no metamethod runs
local calls = 0
local proxy = setmetatable({ raw = 1 }, { __index = function() calls = calls + 1 end,
  __tostring = function() calls = calls + 1 return "P" end })
print(rivet.inspect(proxy), calls)  -- expect: { raw = 1 }\t0

-- bad options
print(pcall(rivet.inspect, {}, { depth = -1 }))  -- expect: false\tbad argument #2 to 'rivet.inspect' (field 'depth' must be a non-negative integer)
print(pcall(rivet.inspect, {}, 3))  -- expect: false\tbad argument #2 to 'rivet.inspect' (table expected, got number)
print(pcall(rivet.inspect))  -- expect: false\tbad argument #1 to 'rivet.inspect' (value expected)
