import boto3


class Predictor:
    def __init__(self, endpoint_name, sagemaker_session=None):
        self.endpoint_name = endpoint_name
        self.runtime = boto3.client("sagemaker-runtime")

    def predict(self, data):
        args = {"EndpointName": self.endpoint_name, "Body": data}
        return self.runtime.invoke_endpoint(**args)["Body"].read()

    def predict_async(self, input_path):
        return self.runtime.invoke_endpoint_async(EndpointName=self.endpoint_name, InputLocation=input_path)
