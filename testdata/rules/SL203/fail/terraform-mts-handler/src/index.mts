import { SageMakerRuntimeClient, InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";

const client = new SageMakerRuntimeClient({});

export const handler = async (event: { body: string }) => {
  const response = await client.send(
    new InvokeEndpointCommand({
      EndpointName: process.env.MODEL_ENDPOINT,
      ContentType: "application/json",
      Body: event.body,
    }),
  );
  return new TextDecoder().decode(response.Body);
};
