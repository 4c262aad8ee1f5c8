import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        result = runtime.invoke_endpoint(
            EndpointName=os.environ["ENDPOINT_NAME"],
            ContentType="application/json",
            Body=event.get("body") or "{}",
        )
    except runtime.exceptions.ClientError as err:
        return {"statusCode": 502, "body": str(err)}
    return {"statusCode": 200, "body": result["Body"].read().decode()}
