-- math.deg and math.rad, printed with full precision so any rounding difference shows
for _, x in ipairs{0, 1, -1, 90, 180, 360, 0.5, 1e300, math.pi, -math.pi / 3, 1 / 0, -1 / 0} do
  print(x, string.format("%.17g %.17g", math.deg(x), math.rad(x)), math.type(math.deg(x)))
end
print(math.deg(math.rad(123.456)) == 123.456, pcall(math.deg, "x"))
