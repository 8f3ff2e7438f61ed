// The small JSON body every benchmarked server answers.
export const BODY = JSON.stringify({ message: 'hello from the benchmark' });
