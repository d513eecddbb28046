-- A module that returns false: require stores false, so the next require loads it again.
FALSY_LOADS = (FALSY_LOADS or 0) + 1
return false
