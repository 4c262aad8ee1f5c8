from inference import forecast


def main(event, context):
    return forecast(event["series"])
