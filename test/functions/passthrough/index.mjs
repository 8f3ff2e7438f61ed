// Custom integration: answers its event as it is.
export const handler = async (event) => {
  console.log('passthrough received', JSON.stringify(event));
  return event;
};
