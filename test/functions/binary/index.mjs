// A PNG image, base64-encoded, as a Lambda proxy function returns binary media.
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x80, 0x7f]);
export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'image/png' },
  body: png.toString('base64'),
  isBase64Encoded: true,
  // what the function received, for the request side of binary support
  multiValueHeaders: { 'x-received-base64': [String(event.isBase64Encoded)], 'x-received-body': [event.body ?? ''] },
});
