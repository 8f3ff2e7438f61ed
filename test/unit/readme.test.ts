// The README's operations table must say exactly which operations are built.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { operationsTable } from '../../scripts/operations-table.js';

it('README operations table matches the handler registry', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(operationsTable()), 'README.md is stale: regenerate with `npm run -s operations-table`');
});
