// schema.graphql is the committed, reviewed API contract: it must be exactly what the code builds.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { printedSchema, SCHEMA_FILE } from '../src/graphql/print-schema.js';

test('schema.graphql matches the schema the code builds', () => {
  const regenerate = 'run `npm run schema:print` and commit schema.graphql';
  assert.ok(existsSync(SCHEMA_FILE), `${SCHEMA_FILE} is missing: ${regenerate}`);
  const committed = readFileSync(SCHEMA_FILE, 'utf8').split('\n');
  const built = printedSchema().split('\n');
  const line = built.findIndex((l, i) => l !== committed[i]);
  if (line !== -1 || committed.length !== built.length) {
    const at = line === -1 ? Math.min(built.length, committed.length) : line;
    assert.fail(
      `schema.graphql is out of date: ${regenerate} (after reviewing the change).\n` +
        `first difference at line ${at + 1}:\n  committed: ${committed[at] ?? '<end>'}\n  built:     ${built[at] ?? '<end>'}`,
    );
  }
});
