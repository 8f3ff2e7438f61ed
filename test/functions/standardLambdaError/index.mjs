// The Developer Guide's standard Lambda error ("Handle Lambda errors in API Gateway").
export const handler = function (event, context, callback) {
  callback(new Error('Malformed input ...'));
};
