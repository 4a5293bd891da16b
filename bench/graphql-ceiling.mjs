// @ts-check
// The "graphql-js ceiling": gatewatch's own schema, context and SQLite inventory (statements on the
// server's thread as in `gatewatch serve`) behind a bare node:http handler that runs graphql-js's
// execute() on a document parsed and validated once. No graphql-yoga, no request wrapping (auth,
// body limit, turn gate, statement scope, request metrics), no background refresher. Between this
// and the raw ceiling is the cost of GraphQL execution itself; between this and the server, the
// cost of the HTTP framework and gatewatch's request handling.
//   node bench/graphql-ceiling.mjs <db path>      (from dist/, like bench/server.mjs)
import '../dist/runtime-env.js';
import { createServer } from 'node:http';
import { execute, parse, validate } from 'graphql';
import { loadInventorySettings } from '../dist/config.js';
import { createContext } from '../dist/graphql/context.js';
import { schema } from '../dist/graphql/schema/index.js';
import { SqlInventory } from '../dist/inventory/inventory.js';
import { SqliteDriver } from '../dist/inventory/sqlite.js';

const inventory = new SqlInventory(new SqliteDriver({ path: process.argv[2] ?? '', inline: loadInventorySettings({}).sqliteInline }));
/** @type {Map<string, import('graphql').DocumentNode>} */
const documents = new Map();

/** @param {string} query */
function documentFor(query) {
  let doc = documents.get(query);
  if (!doc) {
    doc = parse(query);
    const errors = validate(schema, doc);
    if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
    documents.set(query, doc);
  }
  return doc;
}

const server = createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { query } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const result = await execute({ schema, document: documentFor(query), contextValue: createContext(inventory) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    } catch (e) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: e instanceof Error ? e.message : String(e) }] }));
    }
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
  process.send?.({ url: `http://127.0.0.1:${addr.port}` });
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(async () => {
    await inventory.close();
    process.exit(0);
  });
});
