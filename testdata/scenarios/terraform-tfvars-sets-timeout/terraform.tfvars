timeout = 30
