const { SageMakerRuntimeClient, InvokeEndpointCommand } = require("@aws-sdk/client-sagemaker-runtime");

const client = new SageMakerRuntimeClient({});
const endpointName = process.env.ENDPOINT_NAME ?? "";

exports.handler = async (event) => {
  try {
    const out = await client.send(new InvokeEndpointCommand({ EndpointName: endpointName, Body: event.body }));
    return { statusCode: 200, body: Buffer.from(out.Body).toString() };
  } catch (err) {
    return { statusCode: 502, body: err.message };
  }
};
