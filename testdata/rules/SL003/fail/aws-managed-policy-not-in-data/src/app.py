import boto3

sm = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        return sm.invoke_endpoint(EndpointName="churn", Body=b"x")
    except Exception:
        return None
