// Fails as the Developer Guide's error-handling examples do: an Error whose message starts with a code.
export const handler = async (event) => {
  const error = new Error(event?.message ?? 'Malformed input: nothing to work on');
  if (event?.name) error.name = event.name;
  throw error;
};
