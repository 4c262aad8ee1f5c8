const {
  SageMakerRuntimeClient,
  InvokeEndpointCommand,
} = require("@aws-sdk/client-sagemaker-runtime");

const client = new SageMakerRuntimeClient({});

exports.handler = async (event) => {
  const payload = JSON.parse(event.body || "{}");
  const response = await client.send(
    new InvokeEndpointCommand({
      EndpointName: process.env.ENDPOINT_NAME,
      ContentType: "application/json",
      Body: JSON.stringify(payload),
    })
  );
  const prediction = JSON.parse(Buffer.from(response.Body).toString("utf8"));
  return { statusCode: 200, body: JSON.stringify(prediction) };
};
