import json
import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    response = runtime.invoke_endpoint(
        EndpointName=os.environ["LLM_ENDPOINT"],
        ContentType="application/json",
        Body=json.dumps({"inputs": event["prompt"]}),
    )
    return json.loads(response["Body"].read())
