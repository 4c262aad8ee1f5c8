import os
import boto3
smr = boto3.client("sagemaker-runtime")
model_name = os.environ["MODEL_NAME"]


def handler(event, context):
    try:
        r = smr.invoke_endpoint(EndpointName=f"{model_name}-endpoint", Body=event["body"])
    except Exception as e:
        return {"statusCode": 500, "body": str(e)}
    return {"statusCode": 200, "body": r["Body"].read().decode()}
