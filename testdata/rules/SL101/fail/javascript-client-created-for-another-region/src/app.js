const { SageMakerRuntimeClient, InvokeEndpointCommand } = require("@aws-sdk/client-sagemaker-runtime");

const client = new SageMakerRuntimeClient({ region: "us-west-2" });

exports.handler = async (event) => {
  try {
    const out = await client.send(
      new InvokeEndpointCommand({ EndpointName: process.env.ENDPOINT_NAME, Body: event.body })
    );
    return { statusCode: 200, body: Buffer.from(out.Body).toString() };
  } catch (err) {
    return { statusCode: 502, body: err.message };
  }
};
