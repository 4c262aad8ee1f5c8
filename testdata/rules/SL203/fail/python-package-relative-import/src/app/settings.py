import os

ENDPOINT_NAME = os.environ["MODEL_ENDPOINT_NAME"]
