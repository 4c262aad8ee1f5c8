const { SageMakerRuntimeClient, InvokeEndpointCommand } = require("@aws-sdk/client-sagemaker-runtime");
const client = new SageMakerRuntimeClient({});

// CSV-quote a field: a regex with a quote inside a template substitution
const csvField = (v) => `"${String(v).replace(/"/g, '""')}"`;

exports.handler = async (event) => {
  const row = JSON.parse(event.body).map(csvField).join(",");
  try {
    const res = await client.send(new InvokeEndpointCommand({
      EndpointName: process.env.ENDPOINT_NAME,
      ContentType: "text/csv",
      Body: row,
    }));
    return { statusCode: 200, body: new TextDecoder().decode(res.Body) };
  } catch (e) {
    return { statusCode: 500, body: String(e) };
  }
};
