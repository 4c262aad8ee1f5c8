import { SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { predict } from "./predict.mjs";
const client = new SageMakerRuntimeClient({});
const endpointName = process.env.ENDPOINT_NAME;
export const handler = async (event) => {
  try {
    const out = await predict(event.body, endpointName, client);
    return { statusCode: 200, body: out };
  } catch (err) {
    return { statusCode: 502, body: JSON.stringify({ error: err.name }) };
  }
};
