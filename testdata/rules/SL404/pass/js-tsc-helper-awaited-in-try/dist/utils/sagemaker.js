"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.getPredictions = void 0;
const client_sagemaker_runtime_1 = require("@aws-sdk/client-sagemaker-runtime");
const getPredictions = async (body, endpointName, client) => {
    const command = new client_sagemaker_runtime_1.InvokeEndpointCommand({ Body: body, EndpointName: endpointName });
    const data = await client.send(command);
    return JSON.parse(new TextDecoder().decode(data.Body));
};
exports.getPredictions = getPredictions;
