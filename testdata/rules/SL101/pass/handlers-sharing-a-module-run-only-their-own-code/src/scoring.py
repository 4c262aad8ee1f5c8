import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def ready():
    return True


def score(body):
    response = runtime.invoke_endpoint(
        EndpointName=os.environ["ENDPOINT_NAME"],
        ContentType="application/json",
        Body=body,
    )
    return json.loads(response["Body"].read())


def backfill(rows):
    # Run by hand from a notebook, never by these functions.
    response = runtime.invoke_endpoint(
        EndpointName="churn-scorer-batch",
        ContentType="application/json",
        Body=json.dumps(rows),
    )
    return json.loads(response["Body"].read())
