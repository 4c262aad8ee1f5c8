const { SageMakerRuntimeClient, InvokeEndpointAsyncCommand } = require("@aws-sdk/client-sagemaker-runtime");

const client = new SageMakerRuntimeClient({});

exports.handler = async (event) => {
  const response = await client.send(
    new InvokeEndpointAsyncCommand({
      EndpointName: process.env.ENDPOINT_NAME,
      InputLocation: process.env.INPUT_URI,
      ContentType: "application/json",
    }),
  );
  return { statusCode: 202, body: JSON.stringify({ outputLocation: response.OutputLocation }) };
};
