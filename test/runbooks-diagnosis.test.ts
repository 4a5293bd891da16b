// The runbook's Diagnosis sections say what `gatewatch diagnose` says: each verdict's title, source and
// remedy as src/diagnosis declares them, and for ACCESS_BLOCKED the remedy of every recorded reason.
// Written by hand for the operator, so a test keeps the two from drifting apart.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CHECKS } from '../src/diagnosis/checks.js';
import { REASONS } from '../src/diagnosis/format.js';

const doc = readFileSync(new URL('../docs/runbooks.md', import.meta.url), 'utf8');

function section(id: string): string {
  const start = doc.indexOf(`### Diagnosis: ${id}\n`);
  assert.ok(start >= 0, `docs/runbooks.md has a section for ${id}`);
  const end = doc.indexOf('\n#', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

test('every verdict has its section with the check title, source and remedy diagnose prints', () => {
  for (const c of CHECKS.filter((x) => !x.informational)) {
    const text = section(c.id);
    assert.ok(text.includes(`*${c.title}* — ${c.source}.`), `${c.id}: "*${c.title}* — ${c.source}."`);
    if (typeof c.remedy === 'string') assert.ok(text.includes(`**Remedy.** ${c.remedy}`), `${c.id}: its remedy`);
  }
});

test('ACCESS_BLOCKED lists every recorded reason with its remedy', () => {
  const text = section('ACCESS_BLOCKED');
  for (const [reason, r] of Object.entries(REASONS)) {
    assert.ok(text.includes(`| \`${reason}\` | ${r.recorded} | ${r.remedy('the reporting gateway')} |`), reason);
  }
});
