import json

import boto3
from botocore.exceptions import ClientError

import config

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        r = runtime.invoke_endpoint(EndpointName=config.ENDPOINT, ContentType="application/json", Body=event["body"])
    except ClientError as err:
        return {"statusCode": 502, "body": str(err)}
    return {"statusCode": 200, "body": r["Body"].read().decode()}
