// Never answers in time: waits a minute.
export const handler = () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: 'too late' }), 60_000));
