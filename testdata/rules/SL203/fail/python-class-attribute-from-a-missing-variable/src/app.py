import os
import boto3


class Scorer:
    endpoint_name = os.environ["ENDPOINT_NAME"]
    client = boto3.client("sagemaker-runtime")

    def score(self, body):
        return self.client.invoke_endpoint(EndpointName=self.endpoint_name, Body=body)


def handler(event, context):
    try:
        r = Scorer().score(event["body"])
    except Exception as e:
        return {"statusCode": 500, "body": str(e)}
    return {"statusCode": 200, "body": r["Body"].read().decode()}
