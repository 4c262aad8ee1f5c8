import json

from botocore.exceptions import ClientError

from .clients import runtime
from .settings import ENDPOINT_NAME


def handler(event, context):
    try:
        r = runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, ContentType="application/json", Body=event["body"])
    except ClientError as err:
        return {"statusCode": 502, "body": str(err)}
    return {"statusCode": 200, "body": r["Body"].read().decode()}
