from ranker import Ranker


def handler(event, context):
    ranker = Ranker(event["model"])
    if event.get("explain"):
        return ranker.explain(event["items"])
    return ranker.rank(event["items"])
