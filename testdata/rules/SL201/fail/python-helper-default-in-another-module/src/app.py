import helpers


def handler(event, context):
    try:
        return helpers.predict(event["body"])
    except Exception as err:
        return {"statusCode": 500, "body": str(err)}
