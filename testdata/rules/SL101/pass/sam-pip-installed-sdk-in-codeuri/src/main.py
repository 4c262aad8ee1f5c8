import json
import os

from sagemaker.predictor import Predictor

predictor = Predictor(endpoint_name=os.environ["ENDPOINT_NAME"])


def handler(event, context):
    return json.loads(predictor.predict(event["body"].encode()))
