import os, json, boto3
from botocore.exceptions import ClientError
rt = boto3.client("sagemaker-runtime")
def handler(event, context):
    try:
        r = rt.invoke_endpoint(EndpointName=os.environ["ENDPOINT_NAME"], ContentType="application/json", Body=event["body"])
        return {"statusCode": 200, "body": r["Body"].read().decode()}
    except ClientError as e:
        return {"statusCode": 502, "body": json.dumps({"error": e.response["Error"]["Code"]})}
