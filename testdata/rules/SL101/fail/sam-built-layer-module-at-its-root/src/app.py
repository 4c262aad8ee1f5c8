import json

import scoring


def handler(event, context):
    try:
        return {"statusCode": 200, "body": json.dumps(scoring.predict(event["body"]))}
    except Exception as err:
        print(f"scoring failed: {err}")
        return {"statusCode": 502, "body": "model unavailable"}
