import json

import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    payload = json.loads(event.get("body") or "{}")
    response = runtime.invoke_endpoint(
        EndpointName="churn-model",
        ContentType="application/json",
        Body=json.dumps(payload),
    )
    prediction = json.loads(response["Body"].read())
    return {"statusCode": 200, "body": json.dumps(prediction)}
