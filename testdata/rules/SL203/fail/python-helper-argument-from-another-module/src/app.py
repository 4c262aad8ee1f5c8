import os

from scoring import predict


def handler(event, context):
    try:
        return predict(event["body"], endpoint_name=os.environ["MODEL_ENDPOINT"])
    except Exception as err:
        return {"statusCode": 500, "body": str(err)}
