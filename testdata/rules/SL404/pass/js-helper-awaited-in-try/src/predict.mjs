import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
export const predict = async (body, endpointName, client) => {
  const res = await client.send(new InvokeEndpointCommand({ EndpointName: endpointName, Body: body, ContentType: "application/json" }));
  return new TextDecoder().decode(res.Body);
};
