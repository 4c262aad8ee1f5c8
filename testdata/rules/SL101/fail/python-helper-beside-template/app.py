import score


def handler(event, context):
    return score.predict(event)
