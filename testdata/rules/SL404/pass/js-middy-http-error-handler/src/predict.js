const middy = require('@middy/core');
const jsonBodyParser = require('@middy/http-json-body-parser');
const httpErrorHandler = require('@middy/http-error-handler');
const { SageMakerRuntimeClient, InvokeEndpointCommand } = require('@aws-sdk/client-sagemaker-runtime');

const client = new SageMakerRuntimeClient({});

const baseHandler = async (event) => {
  const command = new InvokeEndpointCommand({
    EndpointName: process.env.ENDPOINT_NAME,
    ContentType: 'application/json',
    Body: JSON.stringify(event.body),
  });
  const response = await client.send(command);
  return { statusCode: 200, body: Buffer.from(response.Body).toString() };
};

exports.handler = middy(baseHandler)
  .use(jsonBodyParser())
  .use(httpErrorHandler());
