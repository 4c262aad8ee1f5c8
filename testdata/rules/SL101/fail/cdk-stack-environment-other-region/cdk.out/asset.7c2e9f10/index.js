const { SageMakerRuntimeClient, InvokeEndpointCommand } = require("@aws-sdk/client-sagemaker-runtime");

const client = new SageMakerRuntimeClient({});

exports.handler = async (event) => {
  try {
    const response = await client.send(
      new InvokeEndpointCommand({
        EndpointName: process.env.ENDPOINT_NAME,
        ContentType: "application/json",
        Body: event.body,
      }),
    );
    return { statusCode: 200, body: Buffer.from(response.Body).toString("utf8") };
  } catch (err) {
    return { statusCode: 502, body: JSON.stringify({ error: err.name }) };
  }
};
