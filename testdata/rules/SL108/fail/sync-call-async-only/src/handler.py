import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def main(event, context):
    # A synchronous call: needs sagemaker:InvokeEndpoint, not the async action.
    result = runtime.invoke_endpoint(
        EndpointName=os.environ["MODEL_ENDPOINT"],
        ContentType="application/json",
        Body=event.get("body", "{}"),
    )
    return {"statusCode": 200, "body": result["Body"].read().decode()}
