import os

import boto3
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
tracer = Tracer()
app = APIGatewayRestResolver()
runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


@app.exception_handler(Exception)
def handle_error(ex: Exception):
    logger.exception("request failed")
    return Response(status_code=502, content_type=content_types.APPLICATION_JSON, body='{"error": "model unavailable"}')


@app.post("/predict")
@tracer.capture_method
def predict():
    body = app.current_event.body
    r = runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, ContentType="application/json", Body=body)
    return {"prediction": r["Body"].read().decode()}


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
