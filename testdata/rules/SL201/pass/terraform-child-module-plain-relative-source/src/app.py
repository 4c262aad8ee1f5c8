import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    try:
        response = runtime.invoke_endpoint(
            EndpointName="churn-scorer",
            ContentType="application/json",
            Body=event["body"],
        )
    except runtime.exceptions.ModelError as error:
        return {"statusCode": 502, "body": str(error)}
    return {"statusCode": 200, "body": response["Body"].read().decode()}
