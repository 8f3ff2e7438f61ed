// Answers, as its proxy response, the JSON the request body carries: malformed on request.
export const handler = async (event) => JSON.parse(event.body);
