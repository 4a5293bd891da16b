// `gatewatch check` as a DBA meets it: one block per missing table saying what it takes away, and the
// exit codes of src/exit-codes.ts. Real demo files on disk, the built CLI.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildSchema, isObjectType } from 'graphql';
import { GRAPHQL_BY_DATASET, readPanels } from '../src/coverage.js';
import { EXIT } from '../src/exit-codes.js';
import { DATASET_NAMES } from '../src/inventory/datasets.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'gatewatch-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function demo(name: string, sql?: string): string {
  const file = join(dir, `${name}.sqlite`);
  assert.equal(runCli(['demo', '--computers', '300', '--seed', '5', '--out', file]).code, 0);
  if (sql) {
    const db = new Database(file);
    db.exec(sql);
    db.close();
  }
  return file;
}

test('a complete inventory: one line, exit 0', () => {
  const r = runCli(['check', '--db', `sqlite:${demo('full')}`]);
  assert.equal(r.code, EXIT.OK);
  assert.equal(r.stdout.trim().split('\n').length, 1);
  assert.match(r.stdout, new RegExp(`all ${DATASET_NAMES.length} datasets available`));
});

test('a missing table is one block: its datasets, and the GraphQL fields, metrics and panels it takes away', () => {
  const r = runCli(['check', '--db', `sqlite:${demo('partial', 'DROP TABLE gatewatch_AgentMessage; DROP TABLE gatewatch_Denial')}`]);
  assert.equal(r.code, EXIT.FINDING);
  const n = DATASET_NAMES.length;
  assert.match(r.stdout, new RegExp(`^inventory .*: ${n - 4} of ${n} datasets available; 2 tables missing\\.`));
  const blocks = r.stdout.split('\n\n');
  const agentMessages = blocks.find((b) => b.startsWith('table gatewatch_AgentMessage: missing'));
  assert.ok(agentMessages, r.stdout);
  for (const d of ['agent_messages', 'agent_messages_by_component', 'diagnosis_facts']) assert.ok(agentMessages.includes(d), d);
  assert.match(agentMessages, /GraphQL: +Query\.agentMessages/);
  assert.match(agentMessages, /gatewatch_agent_messages\b/);
  assert.match(agentMessages, /gatewatch_agents_by_verdict/, 'the diagnosis reads the table too');
  assert.match(agentMessages, /panels: +.*Why agents are not connecting/s);
  const denials = blocks.find((b) => b.startsWith('table gatewatch_Denial: missing'));
  assert.ok(denials);
  assert.match(denials, /GraphQL: +Gateway\.denials/);
  assert.doesNotMatch(r.stdout, /dataset \w+: dataset/, 'the dataset is not named twice');
  assert.equal(r.stdout.match(/^table /gm)?.length, 2, 'one block per table, not per dataset');
});

test('an inventory that cannot be opened exits 3 with one line', () => {
  const r = runCli(['check', '--db', `sqlite:${join(dir, 'no', 'such.sqlite')}`]);
  assert.equal(r.code, EXIT.UNAVAILABLE);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^gatewatch: .*cannot read SQLite inventory/);
});

test('every GraphQL field check names exists, and every Query field but inventoryStatus reads a dataset', () => {
  const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
  const named = Object.values(GRAPHQL_BY_DATASET).flat();
  for (const ref of named) {
    const [type, field] = ref.split(/[ (]/)[0]!.split('.');
    const t = schema.getType(type!);
    assert.ok(t && isObjectType(t) && t.getFields()[field!], `${ref} is in schema.graphql`);
  }
  const query = Object.keys(schema.getQueryType()!.getFields()).filter((f) => f !== 'inventoryStatus');
  for (const f of query) assert.ok(named.some((ref) => ref.startsWith(`Query.${f}`)), `Query.${f} is listed under its dataset`);
});

test('the panels check names come from the generated dashboards', () => {
  const panels = readPanels(new URL('../dashboards/grafana/', import.meta.url));
  assert.ok(panels.length > 20);
  assert.ok(panels.every((p) => p.exprs.length && p.dashboard));
  assert.deepEqual(readPanels(new URL('file:///no/such/dir/')), [], 'no dashboards installed: no panels, no crash');
});
