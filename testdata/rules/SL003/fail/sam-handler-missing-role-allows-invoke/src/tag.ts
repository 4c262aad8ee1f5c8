import { SageMakerRuntimeClient, InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";

const client = new SageMakerRuntimeClient({});

export const handler = async (event: { body: string }) => {
  const out = await client.send(new InvokeEndpointCommand({ EndpointName: "image-taggr", Body: event.body }));
  return new TextDecoder().decode(out.Body);
};
