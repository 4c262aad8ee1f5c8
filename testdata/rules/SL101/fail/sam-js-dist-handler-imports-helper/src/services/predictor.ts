import { SageMakerRuntimeClient, InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
const client = new SageMakerRuntimeClient({});
export const predict = async (body: string) => {
  const out = await client.send(new InvokeEndpointCommand({ EndpointName: process.env.ENDPOINT_NAME, ContentType: 'application/json', Body: body }));
  return JSON.parse(new TextDecoder().decode(out.Body));
};
