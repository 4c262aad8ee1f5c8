const { SageMakerRuntimeClient, InvokeEndpointCommand } = require("@aws-sdk/client-sagemaker-runtime");

const client = new SageMakerRuntimeClient({});

exports.handler = async (event) => {
  try {
    const out = await client.send(
      new InvokeEndpointCommand({ EndpointName: process.env.ENDPOINT_NAME, Body: event.body })
    );
    return { statusCode: 200, body: Buffer.from(out.Body).toString() };
  } catch (err) {
    console.error("invoke failed", err);
    throw err;
  }
};
