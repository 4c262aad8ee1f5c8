from inference.client import forecast  # noqa: F401
