// @ts-check
// The server under load, in its own process and from the compiled build (dist/, as `gatewatch serve`
// runs: no TypeScript loader, whose ~60 MB would count against the RSS measured), with demo settings
// and the /metrics exporter's defaults, so the load generator does not share its CPU time. It tells
// the benchmark its URL, and on request its statement count and the SQL of a recorded query.
//   node bench/server.mjs <db path>      (npm run bench builds dist/ first)
import '../dist/runtime-env.js';
import { loadInventorySettings, loadServeConfig } from '../dist/config.js';
import { startServer } from '../dist/http/server.js';
import { SqlInventory } from '../dist/inventory/inventory.js';
import { SqliteDriver } from '../dist/inventory/sqlite.js';

// `npm run bench -- --load --no-sqlite-inline` measures SQLite in worker processes only (sqlite-inline.ts).
const sqlite = new SqliteDriver({ path: process.argv[2] ?? '', inline: loadInventorySettings({}).sqliteInline });
/** @type {{ sql: string; params: unknown }[] | undefined} */
let recording;
/** The SQLite driver, keeping the statements sent while recording: the benchmark replays them raw. */
const driver = {
  dialect: sqlite.dialect,
  description: sqlite.description,
  /** @type {SqliteDriver['query']} */
  query: (sql, params, options) => {
    recording?.push({ sql, params });
    return sqlite.query(sql, params, options);
  },
  /** @param {unknown} e */
  classify: (e) => sqlite.classify(e),
  close: () => sqlite.close(),
};
const inventory = new SqlInventory(driver);
// The GraphQL limits as `gatewatch serve` reads them (the hostile phase raises the query cost: run.ts).
const graphqlLimits = Object.fromEntries(Object.entries(loadServeConfig({}, process.env).graphqlLimits).filter(([, v]) => v !== undefined));
const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true, graphqlLimits });

process.on('message', async (/** @type {{ stats: true } | { record: string }} */ m) => {
  if ('stats' in m) return process.send?.({ statements: inventory.stats.total });
  recording = [];
  await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: m.record }) });
  process.send?.({ recorded: recording });
  recording = undefined;
});
process.once('SIGTERM', async () => {
  await server.close();
  await inventory.close();
  process.exit(0);
});
process.send?.({ url: server.url });
