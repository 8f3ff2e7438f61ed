// A CommonJS handler in the callback style: answers once its timer has fired and the event loop is empty.
exports.handler = function (event, context, callback) {
  setTimeout(() => callback(null, { statusCode: 200, body: JSON.stringify({ style: 'callback', greeter: event.queryStringParameters?.greeter ?? 'World' }) }), 10);
};
