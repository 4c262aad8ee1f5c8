import json
import os

from botocore.exceptions import ClientError
import sagemaker
from sagemaker.serializers import JSONSerializer
from sagemaker.deserializers import JSONDeserializer

predictor = sagemaker.predictor.Predictor(
    endpoint_name=os.environ["ENDPOINT_NAME"],
    serializer=JSONSerializer(),
    deserializer=JSONDeserializer(),
)


def handler(event, context):
    payload = json.loads(event["body"])
    try:
        result = predictor.predict(payload)
    except ClientError as err:
        return {"statusCode": 502, "body": json.dumps({"error": str(err)})}
    return {"statusCode": 200, "body": json.dumps(result)}
