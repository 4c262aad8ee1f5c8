import json

import boto3
from botocore.exceptions import ClientError

from config import ENDPOINT_NAME, CONTENT_TYPE

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        r = runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, ContentType=CONTENT_TYPE, Body=event["body"])
    except ClientError as err:
        return {"statusCode": 502, "body": json.dumps({"error": err.response["Error"]["Message"]})}
    return {"statusCode": 200, "body": r["Body"].read().decode()}
