import os

import boto3

# AWS_REGION is set by Lambda to the function's own region: the same as no region at all.
rt = boto3.client("sagemaker-runtime", region_name=os.environ["AWS_REGION"])


def handler(event, context):
    try:
        return rt.invoke_endpoint(EndpointName="my-model", Body=event["body"])
    except Exception as err:
        return {"statusCode": 500, "body": str(err)}
