import json
import os

import boto3


class Ranker:
    def __init__(self, endpoint_name, content_type="application/json"):
        self.endpoint_name = endpoint_name
        self.content_type = content_type
        self.runtime = boto3.client("sagemaker-runtime")

    def rank(self, items):
        try:
            response = self.runtime.invoke_endpoint(
                EndpointName=self.endpoint_name, ContentType=self.content_type, Body=json.dumps(items)
            )
        except self.runtime.exceptions.ModelError:
            return []
        return json.loads(response["Body"].read())


ranker = Ranker(endpoint_name=os.environ["ENDPOINT_NAME"])


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps(ranker.rank(json.loads(event["body"])))}
