import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")
ENDPOINT = os.environ["MODEL_ENDPOINT"]


def handler(event, context):
    try:
        response = runtime.invoke_endpoint(
            EndpointName=ENDPOINT,
            ContentType="application/json",
            Body=event.get("body") or "{}",
        )
    except Exception as err:
        print(f"invoke failed: {err}")
        return {"statusCode": 502, "body": "model unavailable"}
    return {"statusCode": 200, "body": json.dumps(json.loads(response["Body"].read()))}
