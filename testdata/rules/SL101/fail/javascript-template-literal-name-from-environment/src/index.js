const { SageMakerRuntimeClient, InvokeEndpointCommand } = require("@aws-sdk/client-sagemaker-runtime");
const smr = new SageMakerRuntimeClient({});
const STAGE = process.env.STAGE;
exports.handler = async (event) => {
  try {
    const res = await smr.send(new InvokeEndpointCommand({ EndpointName: `titanic-${STAGE}`, Body: event.body }));
    return { statusCode: 200, body: Buffer.from(res.Body).toString() };
  } catch (err) {
    return { statusCode: 500, body: String(err) };
  }
};
