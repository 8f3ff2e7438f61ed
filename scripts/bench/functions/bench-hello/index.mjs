// The benchmark's Lambda proxy function: answers the same small JSON body as the bare server.
const body = JSON.stringify({ message: 'hello from the benchmark' });
export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body });
