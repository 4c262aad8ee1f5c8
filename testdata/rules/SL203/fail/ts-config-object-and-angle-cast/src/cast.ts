import { SageMakerRuntimeClient, InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
const client = new SageMakerRuntimeClient({});
const endpointName = <string>process.env.SM_ENDPOINT;
export const handler = async (event: Record<string, unknown>) => {
  const out = await client.send(new InvokeEndpointCommand({ EndpointName: endpointName, Body: JSON.stringify(event) }));
  return new TextDecoder().decode(out.Body);
};
