import os

ENDPOINT = os.environ["MODEL_ENDPOINT"]
