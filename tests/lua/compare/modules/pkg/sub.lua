return { name = ..., answer = 42 }
