import json
import os

import boto3

_runtime = boto3.client("sagemaker-runtime")


def forecast(series):
    response = _runtime.invoke_endpoint(
        EndpointName=os.environ["FORECAST_ENDPOINT"],
        ContentType="application/json",
        Body=json.dumps({"series": series}),
    )
    return json.loads(response["Body"].read())
