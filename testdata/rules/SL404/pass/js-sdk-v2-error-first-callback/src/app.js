var AWS = require('aws-sdk');
var runtime = new AWS.SageMakerRuntime();

exports.lambdaHandler = function (event, context, callback) {
  var params = { EndpointName: process.env.ENDPOINT_NAME, ContentType: 'text/csv', Body: event.body };
  runtime.invokeEndpoint(params, function (err, data) {
    if (err) {
      console.log(err, err.stack);
      callback(null, { statusCode: 502, body: JSON.stringify({ error: err.code }) });
      return;
    }
    callback(null, { statusCode: 200, body: data.Body.toString('utf8') });
  });
};
