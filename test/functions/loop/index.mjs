// Never returns, never yields: a busy loop.
export const handler = async () => {
  for (;;);
};
