// The rules of a resource path part: `name`, `{param}` or greedy `{param+}`.
import { badRequest } from '../protocol/errors.js';

export type PathPartKind = 'literal' | 'variable' | 'greedy';

const literal = /^[a-zA-Z0-9._\-:@~$&'()*,;=!]+$/;
const variable = /^\{[a-zA-Z0-9._-]+\}$/;
const greedy = /^\{[a-zA-Z0-9._-]+\+\}$/;

export function pathPartKind(pathPart: string): PathPartKind {
  if (greedy.test(pathPart)) return 'greedy';
  if (variable.test(pathPart)) return 'variable';
  if (literal.test(pathPart) && !pathPart.includes('{') && !pathPart.includes('}')) return 'literal';
  throw badRequest(
    "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
  );
}

export const childPath = (parentPath: string, pathPart: string) => (parentPath === '/' ? `/${pathPart}` : `${parentPath}/${pathPart}`);
