import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        out = runtime.invoke_endpoint(EndpointName=os.environ["ENDPOINT_NAME"], Body=event["body"])
        return {"statusCode": 200, "body": out["Body"].read().decode()}
    except Exception as err:
        return {"statusCode": 502, "body": str(err)}
