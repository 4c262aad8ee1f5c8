import os

ENDPOINT_NAME = os.environ["SM_ENDPOINT"]
CONTENT_TYPE = "application/json"
