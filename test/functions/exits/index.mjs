// Ends its own process mid-invocation.
export const handler = async () => {
  process.exit(3);
};
