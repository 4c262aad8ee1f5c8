"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.handler = void 0;
const predictor_1 = require("./services/predictor");
const handler = async (event) => {
    try {
        return { statusCode: 200, body: JSON.stringify(await (0, predictor_1.predict)(event.body)) };
    }
    catch (e) {
        return { statusCode: 502, body: "upstream error" };
    }
};
exports.handler = handler;
