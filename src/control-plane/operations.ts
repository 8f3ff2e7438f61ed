// The handler of every operation Portico implements, by operation name. An operation missing
// here answers NotImplementedException; the README's operations table lists the same set.
import { accountHandlers } from './account/handlers.js';
import type { Handlers } from './protocol/operation.js';
import { restApiHandlers } from './rest-apis/handlers.js';
import { resourceHandlers } from './resources/handlers.js';
import { tagHandlers } from './tags/handlers.js';

export const handlers: Handlers = {
  ...restApiHandlers,
  ...resourceHandlers,
  ...tagHandlers,
  ...accountHandlers,
};
