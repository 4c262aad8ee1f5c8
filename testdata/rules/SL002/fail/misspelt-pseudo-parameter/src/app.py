import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


def handler(event, context):
    payload = json.loads(event.get("body") or "{}")
    response = runtime.invoke_endpoint(
        EndpointName=ENDPOINT_NAME,
        ContentType="application/json",
        Body=json.dumps(payload),
    )
    prediction = json.loads(response["Body"].read())
    return {"statusCode": 200, "body": json.dumps(prediction)}
