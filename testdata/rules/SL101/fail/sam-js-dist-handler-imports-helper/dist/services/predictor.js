"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.predict = void 0;
const client_sagemaker_runtime_1 = require("@aws-sdk/client-sagemaker-runtime");
const client = new client_sagemaker_runtime_1.SageMakerRuntimeClient({});
const predict = async (body) => {
    const out = await client.send(new client_sagemaker_runtime_1.InvokeEndpointCommand({
        EndpointName: process.env.ENDPOINT_NAME,
        ContentType: "application/json",
        Body: body,
    }));
    return JSON.parse(new TextDecoder().decode(out.Body));
};
exports.predict = predict;
