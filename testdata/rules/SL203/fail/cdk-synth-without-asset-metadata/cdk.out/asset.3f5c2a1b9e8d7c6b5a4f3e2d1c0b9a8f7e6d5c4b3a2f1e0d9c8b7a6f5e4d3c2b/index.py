import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        out = runtime.invoke_endpoint(
            EndpointName=os.environ["MODEL_ENDPOINT"],
            ContentType="application/json",
            Body=event["body"],
        )
        return {"statusCode": 200, "body": out["Body"].read().decode()}
    except Exception as err:
        return {"statusCode": 502, "body": str(err)}
