// Counts its invocations in module state: a warm environment keeps counting.
let invocations = 0;
export const handler = async () => {
  invocations += 1;
  return { statusCode: 200, body: JSON.stringify({ invocations, pid: process.pid }) };
};
