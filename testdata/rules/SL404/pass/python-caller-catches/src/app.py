import json
import os

import boto3
from botocore.exceptions import ClientError

runtime = boto3.client("sagemaker-runtime")


def _predict(body):
    response = runtime.invoke_endpoint(
        EndpointName=os.environ["ENDPOINT_NAME"],
        ContentType="application/json",
        Body=body,
    )
    return response["Body"].read().decode()


def _predict_checked(body):
    return _predict(body)


def handler(event, context):
    try:
        prediction = _predict_checked(event.get("body") or "{}")
    except ClientError as err:
        return {"statusCode": 502, "body": json.dumps({"error": err.response["Error"]["Code"]})}
    return {"statusCode": 200, "body": prediction}
