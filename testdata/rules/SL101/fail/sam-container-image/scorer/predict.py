import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def lambda_handler(event, context):
    response = runtime.invoke_endpoint(
        EndpointName=os.environ["ENDPOINT_NAME"],
        ContentType="application/json",
        Body=event["body"],
    )
    return {"statusCode": 200, "body": json.loads(response["Body"].read())}
