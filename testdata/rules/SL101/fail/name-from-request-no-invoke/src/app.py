import json

import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    # One function serves several models: the caller picks the endpoint.
    body = json.loads(event["body"])
    response = runtime.invoke_endpoint(
        EndpointName=body["model"],
        ContentType="application/json",
        Body=json.dumps(body["features"]),
    )
    return {"statusCode": 200, "body": response["Body"].read().decode()}
