// Prints the README's operations table from the service model and the handler registry, so that the
// table says exactly which operations are built (test/unit/readme.test.ts keeps the README in step).
import { handlers } from '../src/control-plane/operations.js';
import { operations } from '../src/control-plane/protocol/openapi.js';

export function operationsTable(): string {
  const rows = [...operations]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((op) => `| ${op.name} | \`${op.method} ${op.uri}\` | ${handlers[op.name] ? 'yes' : 'not yet (501 NotImplementedException)'} |`);
  return ['| operation | request | built |', '| --- | --- | --- |', ...rows].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(operationsTable());
