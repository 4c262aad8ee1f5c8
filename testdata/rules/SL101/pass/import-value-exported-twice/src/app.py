import os

import boto3
from botocore.exceptions import ClientError

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        response = runtime.invoke_endpoint(
            EndpointName=os.environ["ENDPOINT_NAME"],
            ContentType="application/json",
            Body=event["body"],
        )
    except ClientError as err:
        return {"statusCode": 502, "body": str(err)}
    return {"statusCode": 200, "body": response["Body"].read().decode()}
