import functools
import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def api_errors(fn):
    """Turns any failure of the wrapped handler into a 502 the client can read."""

    @functools.wraps(fn)
    def wrapped(event, context):
        try:
            return fn(event, context)
        except Exception as err:
            return {"statusCode": 502, "body": json.dumps({"error": type(err).__name__})}

    return wrapped


@api_errors
def handler(event, context):
    response = runtime.invoke_endpoint(
        EndpointName=os.environ["ENDPOINT_NAME"],
        ContentType="application/json",
        Body=event.get("body") or "{}",
    )
    return {"statusCode": 200, "body": response["Body"].read().decode()}
