import scoring


def handler(event, context):
    try:
        if event.get("fast"):
            return scoring.predict(event["body"], "churn-scorer-small")
        return scoring.predict(event["body"], "churn-scorer")
    except Exception as err:
        return {"statusCode": 500, "body": str(err)}
