import os
import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        r = runtime.invoke_endpoint(EndpointName=os.environ["ENDPOINT_NAME"], ContentType="text/csv", Body=event["body"])
        return {"statusCode": 200, "body": r["Body"].read().decode()}
    except Exception as e:
        return {"statusCode": 500, "body": str(e)}
