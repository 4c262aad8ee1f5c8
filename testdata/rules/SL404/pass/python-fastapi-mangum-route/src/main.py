import os

import boto3
from fastapi import FastAPI
from mangum import Mangum
from pydantic import BaseModel

app = FastAPI()
runtime = boto3.client("sagemaker-runtime")
ENDPOINT_NAME = os.environ["ENDPOINT_NAME"]


class PredictRequest(BaseModel):
    text: str


@app.post("/predict")
def predict(req: PredictRequest):
    r = runtime.invoke_endpoint(EndpointName=ENDPOINT_NAME, ContentType="application/json", Body=req.json())
    return {"prediction": r["Body"].read().decode()}


handler = Mangum(app, lifespan="off")
