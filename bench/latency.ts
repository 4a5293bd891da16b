// Latency mode: each GraphQL request over real HTTP, one at a time, against the raw SQL statements it
// runs, replayed straight through better-sqlite3 on the same file, in the same run. The machine is
// shared and noisy, so what matters is the ratio, not the milliseconds.
import Database from 'better-sqlite3';
import { startServer } from '../src/http/server.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { SqliteDriver, toSqliteParams } from '../src/inventory/sqlite.js';
import { ensureFleet } from './fleet.js';
import { RecordingDriver } from './recording.js';


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(n: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(20, n); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    // Let timers and sockets run between samples: the raw SQL is synchronous, and starving the event
    // loop for seconds would make the keep-alive connection time out under the next request.
    await new Promise((r) => setImmediate(r));
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

export async function runLatency(computers: number, iterations: number): Promise<void> {
  const path = await ensureFleet(computers);
  const driver = new RecordingDriver(new SqliteDriver({ path }));
  const inventory = new SqlInventory(driver);
  const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true });
  const raw = new Database(path, { readonly: true });

  const post = async (query: string) => {
    const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const body = (await res.json()) as { errors?: unknown[]; data?: unknown; extensions?: { sqlStatements?: number } };
    if (body.errors) throw new Error(`benchmark query failed: ${JSON.stringify(body.errors)}`);
    return body;
  };

  const deepCursor = await (async () => {
    const skip = Math.floor(computers * 0.75);
    const row = raw.prepare('SELECT Name, Guid FROM vComputer WHERE IsManaged = 1 ORDER BY Name, Guid LIMIT 1 OFFSET ?').get(skip) as { Name: string; Guid: string };
    const q = `{ computers(first: 1, filter: { nameContains: ${JSON.stringify(row.Name)} }) { edges { cursor } } }`;
    return ((await post(q)).data as { computers: { edges: { cursor: string }[] } }).computers.edges[0]!.cursor;
  })();

  const NODE = 'guid name connectivity transport currentGateway { gateway lastSuccess } auth { type }';
  const cases: [string, string][] = [
    ['computers first:50', `{ computers(first: 50) { edges { node { ${NODE} } } } }`],
    ['computers first:50 + gateway assignments', `{ computers(first: 50) { edges { node { ${NODE} gatewayAssignments { gateway current lastSuccess } } } } }`],
    ['computers first:50 at 75% depth (keyset)', `{ computers(first: 50, after: ${JSON.stringify(deepCursor)}) { edges { node { ${NODE} } } } }`],
    ['computers INTERNET over HTTP, totalCount', `{ computers(first: 50, filter: { connectivity: INTERNET, transport: HTTP }) { totalCount edges { node { name } } } }`],
    ['computers nameContains', `{ computers(first: 50, filter: { nameContains: "AMS-0012" }) { edges { node { name } } } }`],
    ['cemSummary', '{ cemSummary { total internet lan cemConfigured policyApplied http https byAuth { auth count } byGateway { gateway count } } }'],
    ['gateways with brokers, denials', '{ gateways { name online registered brokerConnections { core count } connections { level count } assignedComputers denials { total } } }'],
    ['relays with messages', '{ relays { name online cacheFreeBytes messages { component text } } }'],
  ];

  console.log(`gatewatch benchmark: ${computers.toLocaleString('en')} computers, ${iterations} iterations per case, median ms`);
  console.log(`${'case'.padEnd(44)} ${'stmts'.padStart(5)} ${'GraphQL'.padStart(9)} ${'raw SQL'.padStart(9)} ${'ratio'.padStart(7)}`);
  for (const [name, query] of cases) {
    driver.recording = [];
    const statements = (await post(query)).extensions?.sqlStatements;
    const recorded = driver.recording;
    driver.recording = undefined;
    const prepared = recorded.map((r) => ({ stmt: raw.prepare(r.sql), params: toSqliteParams(r.params) }));
    const gql = await time(iterations, () => post(query));
    const sql = await time(iterations, () => {
      for (const p of prepared) p.stmt.all(p.params);
    });
    console.log(
      `${name.padEnd(44)} ${String(statements ?? recorded.length).padStart(5)} ${gql.toFixed(2).padStart(9)} ${sql.toFixed(2).padStart(9)} ${(gql / sql).toFixed(1).padStart(6)}x`,
    );
  }
  raw.close();
  await server.close();
  await inventory.close();
}
