import os
import boto3

sm = boto3.client("sagemaker-runtime")


def handler(event, context):
    name = "fc-sim-" + event["lang"] + "-" + os.environ["STAGE"]
    try:
        return sm.invoke_endpoint(EndpointName=name, Body=b"x")
    except Exception:
        return None
