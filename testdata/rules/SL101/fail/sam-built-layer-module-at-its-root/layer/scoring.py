import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def predict(body):
    response = runtime.invoke_endpoint(
        EndpointName=os.environ["ENDPOINT_NAME"],
        ContentType="application/json",
        Body=body,
    )
    return json.loads(response["Body"].read())
