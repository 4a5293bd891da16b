// Every example in README.md returns data on the demo a reader gets: the demo `npm start` builds
// (5,000 computers, the default --seed), moved by the live simulator for four simulated hours (its
// ticks driven with their own clock, a minute apart, ending now), served by the real HTTP server on
// 127.0.0.1. Each ```graphql block and curl query must answer without errors and with data in every
// top-level field; each `gatewatch …` line (those needing SQL Server or Docker aside) runs as the
// built CLI in a directory whose ./data/demo.sqlite is that demo, as after the quick start.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildDemoInventory } from '../src/demo/generate.js';
import { DemoSimulator } from '../src/demo/simulator.js';
import { runCli, serve } from './helpers/cli.js';
import { removeDir, startApi, type TestApi } from './helpers/graphql.js';
import { emptiness, readmeExamples, type CliExample } from './helpers/readme.js';

const README = fileURLToPath(new URL('../README.md', import.meta.url));
const examples = readmeExamples(README);
const MIN = 60_000;
const SIMULATED_MS = 4 * 60 * MIN;
const end = new Date(Math.floor(Date.now() / MIN) * MIN);
const dir = mkdtempSync(join(tmpdir(), 'gatewatch-readme-'));
const path = join(dir, 'data', 'demo.sqlite');
let api: TestApi | undefined;

before(async () => {
  const start = end.getTime() - SIMULATED_MS;
  await buildDemoInventory(path, { computers: 5000, seed: 1, now: new Date(start) });
  // The simulator `gatewatch serve` starts on a demo (default options), a tick a minute.
  const sim = new DemoSimulator(path, { log: () => {} });
  try {
    for (let t = start + MIN; t <= end.getTime(); t += MIN) sim.tick(new Date(t));
  } finally {
    sim.close();
  }
  api = await startApi(path);
});
after(async () => {
  await api?.close();
  removeDir(dir);
});

const title = (text: string) => text.replace(/\s+/g, ' ').slice(0, 90);

test('the example parser finds GraphQL blocks, curl queries and gatewatch lines, leaving out SQL Server and Docker', () => {
  const md = join(dir, 'sample.md');
  writeFileSync(md, [
    '```graphql', '{ gateways { name } }', '```',
    '```', 'gatewatch serve [--db URL]', '```',
    '```sh', 'npm install && npx gatewatch check   # a comment', "GATEWATCH_X='a b' gatewatch diagnose LT-1 --json",
    "curl -s http://127.0.0.1:4000/graphql -H 'content-type: application/json' \\", `  -d '{"query":"{ cemSummary { total } }"}'`,
    "GATEWATCH_DB='mssql://u:p@h/db' gatewatch serve", 'docker compose run --rm gatewatch gatewatch check', '```',
  ].join('\n'));
  const found = readmeExamples(md);
  assert.deepEqual(found.graphql, ['{ gateways { name } }', '{ cemSummary { total } }']);
  assert.deepEqual(found.cli.map((c) => [c.args, c.env]), [[['check'], {}], [['diagnose', 'LT-1', '--json'], { GATEWATCH_X: 'a b' }]]);
  assert.equal(found.excluded.length, 2);
  assert.equal(emptiness({ totalCount: 0, edges: [] }), 'a connection with no edges');
  assert.equal(emptiness([]), 'an empty list');
  assert.equal(emptiness(null), 'null');
  assert.equal(emptiness({ totalCount: 3, edges: [] }), undefined);
});

test('the README has GraphQL and CLI examples to run', () => {
  assert.ok(examples.graphql.length >= 4, `${examples.graphql.length} GraphQL examples`);
  assert.ok(examples.cli.length >= 1, `${examples.cli.length} CLI examples`);
});

for (const query of examples.graphql) {
  test(`GraphQL example returns data: ${title(query)}`, async () => {
    const r = await api!.gql(query);
    assert.equal(r.errors, undefined, JSON.stringify(r.errors));
    assert.ok(r.data, `no data (HTTP ${r.status})`);
    const empty = Object.entries(r.data).flatMap(([field, value]) => {
      const why = emptiness(value);
      return why ? [`${field}: ${why}`] : [];
    });
    assert.deepEqual(empty, [], `top-level fields without data on the simulated demo:\n${query}`);
  });
}

for (const example of examples.cli) {
  test(`CLI example runs: ${title(example.line)}`, async () => {
    if (example.args[0] === 'serve') return serves(example);
    // `demo` writes ./data/demo.sqlite: in its own directory, so it cannot replace the demo served here.
    const cwd = example.args[0] === 'demo' ? scratch() : dir;
    const r = runCli(example.args, { cwd, env: example.env });
    const output = `${r.stdout}\n${r.stderr}`;
    // diagnose exits 1 when a check fails: an answer, unlike 3 (no answer could be had).
    const answered = example.args[0] === 'diagnose' ? [0, 1] : [0];
    assert.ok(answered.includes(r.code ?? -1), `exit ${r.code}:\n${output}`);
    assert.ok(r.stdout.trim().length > 0, `no output:\n${output}`);
  });
}

// What the README says a planted agent's verdict is — its sample output's first line ("VERDICT — NAME
// (GUID)") and sentences like "`WS-SGP-001008` is `ACCESS_BLOCKED`" — is what diagnose answers on the
// simulated demo: the planted cases hold, and the README does not promise what the demo does not do.
test('the verdicts the README names for demo computers are what diagnose answers', () => {
  const text = readFileSync(README, 'utf8');
  const claims = new Map<string, string>();
  const guids = new Map<string, string>();
  for (const m of text.matchAll(/^([A-Z][A-Z_]+) — ([A-Z]{2}-[A-Z]{3}-\d{6}) \(([0-9A-F-]{36})\)/gm)) {
    claims.set(m[2]!, m[1]!);
    guids.set(m[2]!, m[3]!);
  }
  for (const m of text.matchAll(/`([A-Z]{2}-[A-Z]{3}-\d{6})`(?: is)? `([A-Z][A-Z_]+)`/g)) claims.set(m[1]!, m[2]!);
  assert.ok(claims.size >= 2, `claims found: ${JSON.stringify([...claims])}`);
  for (const [name, verdict] of claims) {
    const r = runCli(['diagnose', name, '--json'], { cwd: dir });
    assert.ok(r.code === 0 || r.code === 1, `diagnose ${name}: exit ${r.code}\n${r.stderr}`);
    const answer = JSON.parse(r.stdout) as { verdict: string; guid: string };
    assert.equal(answer.verdict, verdict, `README says ${name} is ${verdict}`);
    if (guids.has(name)) assert.equal(answer.guid, guids.get(name), `README's sample shows ${name}'s GUID`);
  }
});

function scratch(): string {
  const d = join(dir, `scratch-${Math.random().toString(36).slice(2)}`);
  mkdirSync(d);
  return d;
}

async function serves(example: CliExample): Promise<void> {
  const args = example.args.slice(1);
  if (!args.some((a) => a.startsWith('--listen'))) args.push('--listen', '127.0.0.1:0');
  const s = await serve(args, { cwd: dir, env: example.env });
  try {
    const ready = await fetch(`${s.url}/readyz`);
    assert.equal(ready.status, 200, await ready.text());
  } finally {
    await s.stop();
  }
}
