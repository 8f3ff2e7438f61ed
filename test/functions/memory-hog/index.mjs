// Keeps allocating until its heap is exhausted.
export const handler = async () => {
  const hoard = [];
  for (;;) hoard.push({ at: Date.now(), text: `allocation ${hoard.length}`.repeat(8) });
};
