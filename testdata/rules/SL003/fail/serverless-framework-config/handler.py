import os, json, boto3
runtime = boto3.client("runtime.sagemaker")
def predict(event, context):
    r = runtime.invoke_endpoint(EndpointName=os.environ["ENDPOINT_NAME"], ContentType="text/csv", Body=event["body"])
    return {"statusCode": 200, "body": r["Body"].read().decode()}
