// The Developer Guide's Simple Calculator, failing as its error-handling walkthrough does.
export const handler = async (event) => {
  console.log('Received event:', JSON.stringify(event));
  const { a, b, op } = event;
  if (a === undefined || b === undefined || op === undefined) throw new Error('Invalid input: a, b and op are required');
  if (Number.isNaN(Number(a)) || Number.isNaN(Number(b))) throw new Error('Invalid operand');
  const x = Number(a);
  const y = Number(b);
  const results = { add: x + y, '+': x + y, sub: x - y, '-': x - y, mul: x * y, '*': x * y, div: y === 0 ? null : x / y, '/': y === 0 ? null : x / y };
  if (!Object.hasOwn(results, op)) throw new Error(`Invalid operator: ${op}`);
  return { a: x, b: y, op, c: results[op] };
};
