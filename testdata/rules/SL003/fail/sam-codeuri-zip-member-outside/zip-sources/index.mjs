import { SageMakerRuntimeClient, InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";

const client = new SageMakerRuntimeClient({});

export const handler = async (event) => {
  const response = await client.send(
    new InvokeEndpointCommand({
      EndpointName: process.env.ENDPOINT_NAME,
      ContentType: "application/json",
      Body: JSON.stringify(event),
    }),
  );
  return new TextDecoder().decode(response.Body);
};
