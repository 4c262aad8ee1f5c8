from scoring import score


def handler(event, context):
    return score(event["lead"])
