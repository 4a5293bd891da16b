// What a request costs in SQL statements, read from extensions.sqlStatements: one per root field
// plus one per nested list level, the same for a page of 5 and a page of 500 (no N+1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DATASET_NAMES } from '../src/inventory/datasets.js';
import { demoFixture, ok, type GraphQLResponse } from './helpers/graphql.js';

const fx = demoFixture('statements');

async function statements(query: string, variables?: Record<string, unknown>): Promise<number> {
  const r: GraphQLResponse = await fx.api.gql(query, variables);
  ok(r);
  assert.equal(typeof r.extensions?.sqlStatements, 'number', 'sqlStatements is exposed');
  return r.extensions!.sqlStatements!;
}

// Every row of this page has a current gateway, so each nested field has work at any page size.
const COMPUTERS = (n: number) => `{ computers(first: ${n}, filter: { connectivity: INTERNET }) { totalCount edges { node {
  name networkZone { tls } auth { type }
  currentGateway { gateway details { name connections { level count } brokerConnections { core } brokerHealthy } }
  gatewayAssignments { gateway port lastSuccess }
  accessRequests { id reason } } } } }`;

test('computers: page 1, totalCount 1 only when selected, each nested list 1 whatever the page size', async () => {
  assert.equal(await statements('{ computers(first: 5) { edges { node { name networkZone { tls } currentGateway { port } } } } }'), 1);
  assert.equal(await statements('{ computers(first: 5) { totalCount edges { node { name } } } }'), 2);
  assert.equal(await statements('{ computers(first: 500) { edges { node { name gatewayAssignments { gateway } } } } }'), 2);
  // page, COUNT, gateways, their connections, their broker connections, assignments, access requests
  const small = await statements(COMPUTERS(5));
  const large = await statements(COMPUTERS(500));
  assert.equal(small, 7);
  assert.equal(large, 7, 'independent of page size');
  assert.equal(await statements(COMPUTERS(1000)), 7);
});

test('computer by guid and by name: one statement per loader, however many aliases', async () => {
  const d = ok(await fx.api.gql('{ computers(first: 3) { nodes { guid name } } }'));
  const [a, b, c] = d.computers.nodes;
  const q = `{ x: computer(guid: "${a.guid}") { name } y: computer(guid: "${b.guid}") { name } z: computer(name: "${c.name}") { name } }`;
  assert.equal(await statements(q), 2);
});

test('gateways: one statement per field, for all gateways; one per distinct denials since', async () => {
  assert.equal(await statements('{ gateways(live: true) { name } }'), 1);
  const q = `{ gateways(live: true) { name connections { level } brokerConnections { core } brokerHealthy assignedComputers
    all: denials { total } day: denials(since: "2026-01-01T00:00:00Z") { total } same: denials(since: "2026-01-01T01:00:00+01:00") { total }
    hour: denials(since: "2026-06-01T00:00:00Z") { byReason { count } } } }`;
  // gateways, connections, broker (brokerConnections + brokerHealthy share it), assigned,
  // denials x3 (the two spellings of one instant share a statement)
  assert.equal(await statements(q), 7);
  assert.equal(await statements('{ gateway(name: "igw-ams-01.corp.example") { name denials { total } } }'), 2);
});

test('cemSummary, blockedAgents, relays, agentMessages, inventoryStatus', async () => {
  assert.equal(await statements('{ cemSummary(live: true) { total } }'), 1);
  assert.equal(await statements('{ cemSummary(live: true) { total byAuth { count } byGateway { count } } }'), 3);
  assert.equal(await statements('{ blockedAgents(first: 5) { nodes { id } } }'), 1);
  // page, COUNT, computers, their access requests, gateways
  assert.equal(await statements('{ blockedAgents(first: 100) { totalCount nodes { computer { name accessRequests { id } } gateway { name } } } }'), 5);
  // The smallest page that holds a registered computer, so every nested field has work.
  const guids = fx.sql.rows<{ g: string | null }>('SELECT _ResourceGuid AS g FROM gatewatch_AccessRequest ORDER BY CreatedAt DESC, Id DESC LIMIT 100');
  const small = guids.findIndex((r) => r.g !== null) + 1;
  assert.ok(small > 0 && small < 100, `first registered computer at ${small}`);
  assert.equal(await statements(`{ blockedAgents(first: ${small}) { totalCount nodes { computer { name accessRequests { id } } gateway { name } } } }`), 5);
  assert.equal(await statements('{ relays { name messages { text } } }'), 2);
  assert.equal(await statements('{ relay(name: "RELAY-SGP-02") { name messages { text } } }'), 2);
  assert.equal(await statements('{ agentMessages(first: 500) { totalCount nodes { id } } }'), 2);
  assert.equal(await statements('{ inventoryStatus { dataset } }'), DATASET_NAMES.length);
});

test('rejected requests run no statement', async () => {
  const r = await fx.api.gql('{ computers(first: 5000) { totalCount } }');
  assert.equal(r.extensions?.sqlStatements, 0);
});
