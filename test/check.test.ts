// `gatewatch check` as a DBA meets it: one block per missing table saying what it takes away, and the
// exit codes of src/exit-codes.ts. Real demo files on disk, the built CLI.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { buildSchema, isObjectType } from 'graphql';
import { DATASET_USES, readPanels } from '../src/coverage.js';
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

test('a complete inventory: one line, then the coverage table; exit 0', () => {
  const r = runCli(['check', '--db', `sqlite:${demo('full')}`]);
  assert.equal(r.code, EXIT.OK);
  const [first, blank, heading, ...table] = r.stdout.trim().split('\n');
  assert.match(first!, new RegExp(`all ${DATASET_NAMES.length} datasets available`));
  assert.equal(blank, '');
  assert.match(heading!, /^What works here, and where its data comes from:/);
  const rows = table.filter((l) => / (yes|no\b.*)$/.test(l));
  assert.equal(rows.length, DATASET_NAMES.length, 'a row per dataset');
  assert.ok(rows.every((l) => l.endsWith(' yes')), 'the demo holds every table');
  assert.ok(table.some((l) => / ITMS tables +yes$/.test(l)) && table.some((l) => /contract: gatewatch_Relay +yes$/.test(l)));
});

test('a plain ITMS CMDB (demo --without-contract): what works on day one, and what each contract table adds', () => {
  const file = join(dir, 'plain.sqlite');
  const made = runCli(['demo', '--computers', '300', '--seed', '5', '--without-contract', '--out', file]);
  assert.equal(made.code, 0, made.stderr);
  const r = runCli(['check', '--db', `sqlite:${file}`]);
  assert.equal(r.code, EXIT.FINDING);
  const table = r.stdout.slice(r.stdout.indexOf('What works here'));
  assert.match(table, /computers per gateway +ITMS tables +yes/);
  assert.match(table, /agent versions +ITMS tables +yes/);
  assert.match(table, /LanGuard relay health +contract: gatewatch_Relay +no: gatewatch_Relay missing/);
  assert.match(table, /gateway status \(online, registered, modes\) +contract: gatewatch_Gateway +no: gatewatch_Gateway missing/);
  assert.doesNotMatch(table, /contract: .* yes$/m, 'nothing read from a contract table works without it');
  // Sources outside the CMDB: the gateways to probe come from ITMS's own gateway table.
  assert.match(table, /gateway reachability, TLS, certificate expiry +probe: blackbox_exporter, +yes, where blackbox_exporter runs/);
  assert.match(table, /Ivanti CSA brokered requests +Ivanti log: BrokerService\.log +not set: --csa-broker-log DIR/);
  // docs/inventory.md's advice: an empty view stands in for gatewatch_AgentAuth, and the computers list works.
  const db = new Database(file);
  db.exec('CREATE VIEW gatewatch_AgentAuth AS SELECT NULL AS _ResourceGuid, NULL AS AuthType, NULL AS ValidUntil WHERE 0');
  db.close();
  const withView = runCli(['check', '--db', `sqlite:${file}`]);
  assert.match(withView.stdout, /computers: zone, gateways, auth, last report +ITMS \+ contract: gatewatch_AgentAuth +yes/);
  const withLog = runCli(['check', '--db', `sqlite:${file}`], { env: { GATEWATCH_CSA_BROKER_LOG: dir } });
  assert.match(withLog.stdout, new RegExp(`Ivanti CSA brokered requests +Ivanti log: BrokerService\\.log +yes: ${dir}`));
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
  const named = Object.values(DATASET_USES).flatMap((u) => u.graphql);
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

test('the README exit-code table is src/exit-codes.ts', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('**Exit codes**'));
  const rows = [...section.slice(0, section.indexOf('\n\n', section.indexOf('|'))).matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
  assert.deepEqual(rows, Object.values(EXIT).sort((a, b) => a - b));
});
