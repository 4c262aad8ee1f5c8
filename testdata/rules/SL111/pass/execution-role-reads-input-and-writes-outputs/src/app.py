import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


def handler(event, context):
    latest = runtime.invoke_endpoint_async(
        EndpointName=ENDPOINT_NAME,
        InputLocation="s3://my-uploads/requests/latest.json",
        ContentType="application/json",
    )
    # A key chosen at run time cannot be checked: not reported.
    key = event["key"]
    chosen = runtime.invoke_endpoint_async(
        EndpointName=ENDPOINT_NAME,
        InputLocation=f"s3://other-bucket/{key}",
        ContentType="application/json",
    )
    return {"statusCode": 202, "body": json.dumps([latest["OutputLocation"], chosen["OutputLocation"]])}
