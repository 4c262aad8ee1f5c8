import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


def handler(event, context):
    response = runtime.invoke_endpoint_with_response_stream(
        EndpointName=ENDPOINT_NAME,
        ContentType="application/json",
        Body=event.get("body") or "{}",
    )
    chunks = [e["PayloadPart"]["Bytes"] for e in response["Body"] if "PayloadPart" in e]
    return {"statusCode": 200, "body": b"".join(chunks).decode()}
