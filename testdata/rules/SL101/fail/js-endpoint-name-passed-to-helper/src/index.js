const { SageMakerRuntimeClient, InvokeEndpointCommand } = require("@aws-sdk/client-sagemaker-runtime");

const client = new SageMakerRuntimeClient({});

async function invoke(endpointName, payload) {
  const response = await client.send(
    new InvokeEndpointCommand({ EndpointName: endpointName, ContentType: "application/json", Body: payload })
  );
  return Buffer.from(response.Body).toString();
}

exports.handler = async (event) => {
  try {
    return { statusCode: 200, body: await invoke(process.env.ENDPOINT_NAME, event.body) };
  } catch (err) {
    return { statusCode: 500, body: String(err) };
  }
};
