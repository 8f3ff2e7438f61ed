// The route tree of a deployment, built once: literal segments before `{param}` before `{greedy+}`,
// with backtracking so the most specific resource that matches the whole path wins.
import type { SnapshotResource } from '../../shared/worker-config.js';

type Node = {
  resource?: SnapshotResource;
  literals: Map<string, Node>;
  variable?: { name: string; node: Node };
  greedy?: { name: string; resource: SnapshotResource };
};

export type RouteMatch = { resource: SnapshotResource; pathParams: Record<string, string> };

const newNode = (): Node => ({ literals: new Map() });

export type RouteTree = { match: (segments: string[]) => RouteMatch | undefined };

export function buildRouteTree(resources: SnapshotResource[]): RouteTree {
  const root = newNode();
  for (const resource of resources) {
    const parts = resource.path.split('/').filter(Boolean);
    let node = root;
    parts.forEach((part, i) => {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      const variable = /^\{(.+)\}$/.exec(part);
      if (greedy && i === parts.length - 1) {
        node.greedy = { name: greedy[1]!, resource };
        return;
      }
      if (variable) {
        node.variable ??= { name: variable[1]!, node: newNode() };
        node = node.variable.node;
      } else {
        if (!node.literals.has(part)) node.literals.set(part, newNode());
        node = node.literals.get(part)!;
      }
    });
    if (!(parts.length && /^\{.+\+\}$/.test(parts[parts.length - 1]!))) node.resource = resource;
  }

  // Path parameters are collected as (name, value) pairs on the way down and become an object only
  // for the match: no per-level copies and no deletes on the request path.
  type Captures = string[];
  const paramsOf = (captures: Captures): Record<string, string> => {
    const params: Record<string, string> = {};
    for (let i = 0; i < captures.length; i += 2) params[captures[i]!] = captures[i + 1]!;
    return params;
  };

  function walk(node: Node, segments: string[], i: number, captures: Captures): RouteMatch | undefined {
    if (i === segments.length) return node.resource ? { resource: node.resource, pathParams: paramsOf(captures) } : undefined;
    const literal = node.literals.get(segments[i]!);
    if (literal) {
      const found = walk(literal, segments, i + 1, captures);
      if (found) return found;
    }
    if (node.variable) {
      captures.push(node.variable.name, segments[i]!);
      const found = walk(node.variable.node, segments, i + 1, captures);
      captures.length -= 2;
      if (found) return found;
    }
    if (node.greedy) {
      const pathParams = paramsOf(captures);
      pathParams[node.greedy.name] = segments.slice(i).join('/');
      return { resource: node.greedy.resource, pathParams };
    }
    return undefined;
  }

  return { match: (segments) => walk(root, segments, 0, []) };
}
