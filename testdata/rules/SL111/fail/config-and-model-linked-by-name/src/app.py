import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


def handler(event, context):
    response = runtime.invoke_endpoint_async(
        EndpointName=ENDPOINT_NAME,
        InputLocation="s3://my-input-bucket/requests/latest.json",
        ContentType="application/json",
    )
    return {"statusCode": 202, "body": json.dumps({"outputLocation": response["OutputLocation"]})}
