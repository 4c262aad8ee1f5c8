import json, boto3
from botocore.exceptions import ClientError
rt = boto3.client("sagemaker-runtime")
def handler(event, context):
    body = json.loads(event["body"])
    try:
        r = rt.invoke_endpoint(EndpointName=body["endpoint_name"], ContentType="application/json", Body=body["prompt"])
        return {"statusCode": 200, "body": r["Body"].read().decode()}
    except ClientError as e:
        return {"statusCode": 502, "body": e.response["Error"]["Code"]}
