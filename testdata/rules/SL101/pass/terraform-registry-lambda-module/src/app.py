import json
import os

import boto3
from botocore.exceptions import ClientError

runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


def handler(event, context):
    try:
        response = runtime.invoke_endpoint(
            EndpointName=ENDPOINT_NAME,
            ContentType="application/json",
            Body=json.dumps(event),
        )
    except ClientError as err:
        return {"statusCode": 502, "body": str(err)}
    return {"statusCode": 200, "body": response["Body"].read().decode()}
