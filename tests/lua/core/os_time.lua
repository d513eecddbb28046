-- os.time, os.date, os.difftime, os.clock. Only UTC ("!") output and time-zone independent
-- relations are pinned. Expected values from lua5.4 (5.4.4).

print(os.date("!%Y-%m-%d %H:%M:%S", 0), os.date("!%c", 0))  -- expect: 1970-01-01 00:00:00\tThu Jan  1 00:00:00 1970
print(os.date("!%x %X %p %j %a %A %b %B %y %C %e %D %F %T %R", 86400 * 45 + 3600 * 15))  -- expect: 02/15/70 15:00:00 PM 046 Sun Sunday Feb February 70 19 15 02/15/70 1970-02-15 15:00:00 15:00
print(os.date("!%% %u %w %U %V %W %G %g %h %I %r %Z %z|%t|", 86400 * 45 + 3600 * 15))  -- expect: % 7 0 07 07 06 1970 70 Feb 03 03:00:00 PM GMT +0000|\t|
print(os.date("!%Ec|%EC|%Ex|%EX|%Ey|%EY|%Od|%Oe|%OH|%OI|%Om|%OM|%OS|%Ou|%OU|%OV|%Ow|%OW|%Oy", 1e9))  -- expect: Sun Sep  9 01:46:40 2001|20|09/09/01|01:46:40|01|2001|09| 9|01|01|09|46|40|7|36|36|0|36|01
print(os.date("!%H:%M", -3600), os.date("!%Y", -2^40), os.date("!plain text", 5))  -- expect: 23:00\t-32873\tplain text
local d = os.date("!*t", 1e9)
print(d.year, d.month, d.day, d.hour, d.min, d.sec, d.yday, d.wday, d.isdst)  -- expect: 2001\t9\t9\t1\t46\t40\t252\t1\tfalse
print(pcall(os.date, "%Ez abc"))  -- expect: false\tbad argument #1 to 'os.date' (invalid conversion specifier '%Ez abc')
print(pcall(os.date, "%"))  -- expect: false\tbad argument #1 to 'os.date' (invalid conversion specifier '%')
print(pcall(os.date, "%5"))  -- expect: false\tbad argument #1 to 'os.date' (invalid conversion specifier '%5')
print(pcall(os.date, "%E"))  -- expect: false\tbad argument #1 to 'os.date' (invalid conversion specifier '%E')
print(pcall(os.date, "*t", 1.5))  -- expect: false\tbad argument #2 to 'os.date' (number has no integer representation)
print(pcall(os.date, "*t", "x"))  -- expect: false\tbad argument #2 to 'os.date' (number expected, got string)
print(pcall(os.date, "!%Y", 2^60))  -- expect: false\tdate result cannot be represented in this installation

-- os.time with a table: normalised like mktime, fields updated; round trips with os.date.
local t = {year = 2021, month = 2, day = 31, hour = 12}
local secs = os.time(t)
print(math.type(secs), t.year, t.month, t.day, t.hour, t.min, t.sec, t.yday, t.wday)  -- expect: integer\t2021\t3\t3\t12\t0\t0\t62\t4
local n = {year = 2020, month = 14, day = 35, hour = 25, min = 61, sec = -5}
os.time(n)
print(n.year, n.month, n.day, n.hour, n.min, n.sec, n.yday, n.wday)  -- expect: 2021\t3\t8\t2\t0\t55\t67\t2
local u = {year = 2020, month = 1, day = 1, hour = 0, min = 0, sec = 0}
local t1 = os.time(u)
u.day = 2
print(os.time(u) - t1, os.time(os.date("*t", t1)) == t1, os.time({year = 2020, month = 1, day = 1}) - t1)  -- expect: 86400\ttrue\t43200
print(os.time({year = 2020, month = 1, day = "3", hour = "0"}) - t1)  -- expect: 172800
print(pcall(os.time, {year = 2020, month = 1}))  -- expect: false\tfield 'day' missing in date table
print(pcall(os.time, {year = 2020, month = 1, day = "x"}))  -- expect: false\tfield 'day' is not an integer
print(pcall(os.time, {year = 2020, month = 1, day = 1.5}))  -- expect: false\tfield 'day' is not an integer
print(pcall(os.time, {year = 2 ^ 40, month = 1, day = 1}))  -- expect: false\tfield 'year' is out-of-bound
print(pcall(os.time, {year = -2 ^ 31, month = 1, day = 1}))  -- expect: false\tfield 'year' is out-of-bound
print(pcall(os.time, {year = 2020, month = 1, day = 1, min = {}}))  -- expect: false\tfield 'min' is not an integer
print(pcall(os.time, 5))  -- expect: false\tbad argument #1 to 'os.time' (table expected, got number)
local now = os.time()
print(math.type(now), now > 1.6e9, math.abs(os.time() - now) <= 1)  -- expect: integer\ttrue\ttrue

print(os.difftime(10, 5), os.difftime(5, 10), math.type(os.difftime(1, 1)))  -- expect: 5.0\t-5.0\tfloat
print(pcall(os.difftime, 10))  -- expect: false\tbad argument #2 to 'os.difftime' (number expected, got no value)
print(pcall(os.difftime, 1.5, 1))  -- expect: false\tbad argument #1 to 'os.difftime' (number has no integer representation)
local c = os.clock()
local x = 0
for i = 1, 100000 do x = x + i end
print(math.type(c), c >= 0, os.clock() >= c)  -- expect: float\ttrue\ttrue
