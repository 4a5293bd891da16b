// The "raw ceiling": a minimal node:http handler that runs the very statement the simple GraphQL
// query runs, prepared once with better-sqlite3 in this process, and answers its rows as JSON.
// Nothing gatewatch does on top (GraphQL, worker processes, mapping) is here.
//   node --import tsx bench/raw-server.ts <db path> <{sql, params} as JSON>
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import type { BoundParam } from '../src/inventory/driver.js';
import { toSqliteParams } from '../src/inventory/sqlite.js';

const { sql, params } = JSON.parse(process.argv[3]!) as { sql: string; params: BoundParam[] };
const db = new Database(process.argv[2]!, { readonly: true });
const stmt = db.prepare(sql);
const bound = toSqliteParams(params);
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ rows: stmt.all(bound) }));
  });
});
server.listen(0, '127.0.0.1', () => process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
