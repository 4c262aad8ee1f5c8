def predict(client, endpoint_name, body):
    res = client.invoke_endpoint(EndpointName=endpoint_name, ContentType="application/json", Body=body)
    return res["Body"].read().decode()
