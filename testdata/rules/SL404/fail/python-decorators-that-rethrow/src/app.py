import os

import boto3
from aws_lambda_powertools import Logger, Tracer

logger = Logger()
tracer = Tracer()
runtime = boto3.client("sagemaker-runtime")


def timed(fn):
    """Logs how long the handler took; failures go through untouched."""

    def wrapped(event, context):
        logger.info("start")
        result = fn(event, context)
        logger.info("done")
        return result

    return wrapped


def _predict(body):
    response = runtime.invoke_endpoint(
        EndpointName=os.environ["ENDPOINT_NAME"],
        ContentType="application/json",
        Body=body,
    )
    return response["Body"].read().decode()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@timed
def handler(event, context):
    return {"statusCode": 200, "body": _predict(event.get("body") or "{}")}


def warm_up():
    try:
        _predict("{}")
    except Exception:
        pass
