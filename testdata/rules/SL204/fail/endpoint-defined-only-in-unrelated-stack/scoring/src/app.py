import json
import os

import boto3

sm = boto3.client("sagemaker-runtime")


def handler(event, context):
    result = sm.invoke_endpoint(
        EndpointName=os.environ["MODEL_ENDPOINT"],
        ContentType="text/csv",
        Body=event["body"],
    )
    return {"statusCode": 200, "body": result["Body"].read().decode()}
