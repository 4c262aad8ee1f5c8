import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["SCORER_ENDPOINT"]


def score(payload):
    try:
        response = runtime.invoke_endpoint(
            EndpointName=ENDPOINT_NAME, ContentType="application/json", Body=json.dumps(payload)
        )
    except runtime.exceptions.ModelError as err:
        return {"error": str(err)}
    return json.loads(response["Body"].read())


def explain(payload):
    try:
        response = runtime.invoke_endpoint(
            EndpointName=ENDPOINT_NAME,
            ContentType="application/json",
            CustomAttributes="explain=true",
            Body=json.dumps(payload),
        )
    except runtime.exceptions.ModelError as err:
        return {"error": str(err)}
    return json.loads(response["Body"].read())


def handler(event, context):
    payload = json.loads(event.get("body") or "{}")
    result = explain(payload) if event.get("path", "").endswith("/explain") else score(payload)
    return {"statusCode": 200, "body": json.dumps(result)}
