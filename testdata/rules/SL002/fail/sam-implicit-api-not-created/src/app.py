import json
import os

import boto3
from botocore.exceptions import ClientError

runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


def handler(event, context):
    payload = json.loads(event.get("body") or "{}")
    try:
        response = runtime.invoke_endpoint(
            EndpointName=ENDPOINT_NAME,
            ContentType="application/json",
            Body=json.dumps(payload),
        )
    except ClientError as err:
        return {"statusCode": 502, "body": json.dumps({"error": err.response["Error"]["Code"]})}
    prediction = json.loads(response["Body"].read())
    return {"statusCode": 200, "body": json.dumps(prediction)}
