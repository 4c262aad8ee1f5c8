import { SageMakerRuntimeClient, InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
const config = {
  endpointName: process.env.MODEL_ENDPOINT as string,
  region: process.env.AWS_REGION,
} as const;
const client = new SageMakerRuntimeClient({ region: config.region });
export async function handler(event: unknown): Promise<string> {
  const out = await client.send(new InvokeEndpointCommand({ EndpointName: config.endpointName, Body: JSON.stringify(event) }));
  return new TextDecoder().decode(out.Body);
}
