import { SageMakerRuntimeClient, InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";

const client = new SageMakerRuntimeClient({});

export const lambdaHandler = async (event: { body: string }) => {
  const out = await client.send(
    new InvokeEndpointCommand({
      EndpointName: "sentiment-scorer",
      ContentType: "application/json",
      Body: event.body,
    }),
  );
  return { statusCode: 200, body: new TextDecoder().decode(out.Body) };
};
