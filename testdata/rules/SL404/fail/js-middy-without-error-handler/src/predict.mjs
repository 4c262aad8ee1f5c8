import middy from '@middy/core';
import jsonBodyParser from '@middy/http-json-body-parser';
import errorLogger from '@middy/error-logger';
import { SageMakerRuntimeClient, InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';

const client = new SageMakerRuntimeClient({});

async function predict(body) {
  const response = await client.send(new InvokeEndpointCommand({
    EndpointName: process.env.ENDPOINT_NAME,
    ContentType: 'application/json',
    Body: JSON.stringify(body),
  }));
  return Buffer.from(response.Body).toString();
}

const baseHandler = async (event) => ({ statusCode: 200, body: await predict(event.body) });

export const handler = middy()
  .use(jsonBodyParser())
  .use(errorLogger())
  .handler(baseHandler);
