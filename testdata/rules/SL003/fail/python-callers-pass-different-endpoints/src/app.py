import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def predict(endpoint_name, payload):
    response = runtime.invoke_endpoint(
        EndpointName=endpoint_name, ContentType="application/json", Body=json.dumps(payload)
    )
    return json.loads(response["Body"].read())


def handler(event, context):
    try:
        body = json.loads(event["body"])
        if body.get("explain"):
            return predict(os.environ["EXPLAINER_ENDPOINT_NAME"], body)
        return predict(os.environ["ENDPOINT_NAME"], body)
    except Exception as err:
        return {"statusCode": 500, "body": str(err)}
