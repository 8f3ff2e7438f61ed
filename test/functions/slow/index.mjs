// Takes its time (the `ms` query string parameter, or 300 ms), then answers which process ran it.
export const handler = async (event) => {
  const ms = Number(event.queryStringParameters?.ms ?? event.ms ?? 300);
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { statusCode: 200, body: JSON.stringify({ pid: process.pid, started, finished: Date.now() }) };
};
