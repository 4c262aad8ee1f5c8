import os, json
import boto3
from predict import predict

client = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]

def handler(event, context):
    try:
        out = predict(client, ENDPOINT_NAME, event["body"])
        return {"statusCode": 200, "body": out}
    except Exception as err:
        return {"statusCode": 502, "body": json.dumps({"error": str(err)})}
