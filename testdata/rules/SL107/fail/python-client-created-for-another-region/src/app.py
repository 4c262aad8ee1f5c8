import boto3

rt = boto3.client("sagemaker-runtime", region_name="ap-southeast-1")


def handler(event, context):
    try:
        return rt.invoke_endpoint(EndpointName="my-model", Body=event["body"])
    except Exception as err:
        return {"statusCode": 500, "body": str(err)}
