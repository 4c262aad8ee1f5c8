const { SageMakerRuntimeClient, InvokeEndpointCommand } = require("@aws-sdk/client-sagemaker-runtime");
const client = new SageMakerRuntimeClient({});
exports.handler = async (event) => {
  const out = await client.send(new InvokeEndpointCommand({
    EndpointName: process.env.ENDPOINT_NAME,
    ContentType: "application/json",
    Body: JSON.stringify(event),
  }));
  return JSON.parse(new TextDecoder().decode(out.Body));
};
