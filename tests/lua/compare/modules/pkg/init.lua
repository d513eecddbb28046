-- A package: its init file, and a submodule beside it.
return { sub = require((...) .. ".sub"), file = select(2, ...) }
