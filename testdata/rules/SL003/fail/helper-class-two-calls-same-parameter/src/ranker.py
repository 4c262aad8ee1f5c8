import json

import boto3


class Ranker:
    def __init__(self, endpoint_name):
        self.endpoint_name = endpoint_name
        self.runtime = boto3.client("sagemaker-runtime")

    def rank(self, items):
        body = json.dumps({"items": items})
        return self.runtime.invoke_endpoint(EndpointName=self.endpoint_name, Body=body)

    def explain(self, items):
        body = json.dumps({"items": items, "explain": True})
        return self.runtime.invoke_endpoint(EndpointName=self.endpoint_name, Body=body)
