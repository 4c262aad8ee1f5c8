import json
import logging
import os

import boto3

logger = logging.getLogger(__name__)
runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        r = runtime.invoke_endpoint(EndpointName=os.environ["ENDPOINT_NAME"], ContentType="application/json", Body=event["body"])
    except Exception:
        logger.exception("invoke_endpoint failed")
        raise
    return {"statusCode": 200, "body": r["Body"].read().decode()}
