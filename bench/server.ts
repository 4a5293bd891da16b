// The server under load, in its own process as `gatewatch serve` runs it (demo settings, the
// /metrics exporter's defaults), so the load generator does not share its CPU time. It tells the
// benchmark its URL, and on request its statement count and the SQL of a recorded query.
//   node --import tsx bench/server.ts <db path>
import '../src/runtime-env.js';
import { startServer } from '../src/http/server.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { RecordingDriver } from './recording.js';
import { SqliteDriver } from '../src/inventory/sqlite.js';

const driver = new RecordingDriver(new SqliteDriver({ path: process.argv[2]! }));
const inventory = new SqlInventory(driver);
const server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: true });

type Ask = { stats: true } | { record: string };
process.on('message', async (m: Ask) => {
  if ('stats' in m) return process.send?.({ statements: inventory.stats.total });
  driver.recording = [];
  await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: m.record }) });
  process.send?.({ recorded: driver.recording });
  driver.recording = undefined;
});
process.once('SIGTERM', async () => {
  await server.close();
  await inventory.close();
  process.exit(0);
});
process.send?.({ url: server.url });
