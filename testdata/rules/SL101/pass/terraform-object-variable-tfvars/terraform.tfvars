model = { endpoint_name = "object-detector-v2", timeout = 60 }
