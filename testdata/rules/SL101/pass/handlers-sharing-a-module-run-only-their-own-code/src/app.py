import json

import scoring


def predict_handler(event, context):
    try:
        return {"statusCode": 200, "body": json.dumps(scoring.score(event["body"]))}
    except Exception as err:
        print(f"scoring failed: {err}")
        return {"statusCode": 502, "body": "model unavailable"}


def health_handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"ok": scoring.ready()})}
