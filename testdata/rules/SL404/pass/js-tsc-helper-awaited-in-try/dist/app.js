"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.handler = void 0;
const client_sagemaker_runtime_1 = require("@aws-sdk/client-sagemaker-runtime");
const sagemaker_1 = require("./utils/sagemaker");
const client = new client_sagemaker_runtime_1.SageMakerRuntimeClient({});
const handler = async (event) => {
    try {
        const predictions = await (0, sagemaker_1.getPredictions)(event.body, process.env.ENDPOINT_NAME, client);
        return { statusCode: 200, body: JSON.stringify(predictions) };
    }
    catch (err) {
        return { statusCode: 502, body: JSON.stringify({ error: err.name }) };
    }
};
exports.handler = handler;
