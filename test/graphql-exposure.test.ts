// What the API tells strangers: production (introspection off) gives no "Did you mean" hints that
// would spell out the schema; a token-protected API still answers the CORS preflight of an allowed
// origin (browsers send it without credentials) and nothing to any other origin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadServeConfig } from '../src/config.js';
import { startServer, type RunningServer, type ServerOptions } from '../src/http/server.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { corsHeaders, corsPreflight, demoDb, removeDir, type GraphQLResponse } from './helpers/graphql.js';

let dir: string | undefined;
let path: string;
const open: { server: RunningServer; inventory: Inventory }[] = [];
before(async () => {
  ({ dir, path } = await demoDb('exposure', 50));
});
after(async () => {
  for (const o of open) await o.server.close(), await o.inventory.close();
  if (dir) removeDir(dir);
});

/** `gatewatch serve` on the demo file with these flags, as the config makes it. */
async function serveWith(flags: Record<string, string>, extra: Partial<ServerOptions> = {}): Promise<string> {
  const config = loadServeConfig({ db: path, listen: '127.0.0.1:0', ...flags }, {});
  const inventory = openInventory(config.db);
  const server = await startServer({ inventory, ...config, ...extra });
  open.push({ server, inventory });
  return `${server.url}/graphql`;
}

async function gql(endpoint: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, ...((await res.json()) as object) };
}

describe('field suggestions', () => {
  const MISSPELT = [
    { query: '{ gateways { nme } }', hint: /Did you mean "name"\?/ },
    { query: '{ computers(frist: 2) { totalCount } }', hint: /Did you mean "first" or "last"\?/ },
    { query: '{ computers(filter: { connectivity: INTERNTE }) { totalCount } }', hint: /Did you mean the enum value "INTERNET"\?/ },
    { query: 'query ($c: Connectivity) { computers(filter: { connectivity: $c }) { totalCount } }', variables: { c: 'INTERNTE' }, hint: /Did you mean the enum value "INTERNET"\?/ },
  ];

  test('production (introspection off): a misspelling is an error that suggests nothing', async () => {
    const endpoint = await serveWith({});
    for (const { query, variables } of MISSPELT) {
      const r = await gql(endpoint, query, variables);
      assert.ok(r.errors?.length, query);
      for (const e of r.errors!) {
        assert.doesNotMatch(e.message, /Did you mean/, query);
        assert.match(e.message, /(Cannot query field|Unknown argument|Value|got invalid value) /, query);
      }
      assert.doesNotMatch(JSON.stringify(r), /"(name|first|INTERNET)"/, query);
    }
  });

  test('demo mode (introspection on) keeps them', async () => {
    const endpoint = await serveWith({ mode: 'demo' });
    for (const { query, variables, hint } of MISSPELT) {
      const r = await gql(endpoint, query, variables);
      assert.ok(r.errors?.some((e) => hint.test(e.message)), `${query}: ${JSON.stringify(r.errors)}`);
    }
  });
});

describe('CORS preflight with a bearer token', () => {
  const TOKEN = 'an-api-token-of-some-length';
  const ALLOWED = 'https://dashboard.corp.example';
  const preflight = corsPreflight;

  test('an allowed origin gets its preflight answered without the token; the request itself still needs it', async () => {
    const endpoint = await serveWith({ 'api-token': TOKEN, 'cors-origin': ALLOWED });
    const pre = await preflight(endpoint, ALLOWED);
    assert.ok(pre.status >= 200 && pre.status < 300, `preflight answered ${pre.status}`);
    assert.equal(pre.headers.get('access-control-allow-origin'), ALLOWED);
    assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);

    const post = (headers: Record<string, string>) =>
      fetch(endpoint, { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'application/json', ...headers }, body: '{"query":"{ gateways { name } }"}' });
    assert.equal((await post({})).status, 401);
    const res = await post({ authorization: `Bearer ${TOKEN}` });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), ALLOWED);
  });

  test('any other origin: still 401 and no Access-Control-* header at all', async () => {
    const endpoint = await serveWith({ 'api-token': TOKEN, 'cors-origin': ALLOWED });
    for (const origin of ['https://evil.example', `${ALLOWED}.evil.example`, 'null', ALLOWED.toUpperCase()]) {
      const pre = await preflight(endpoint, origin);
      assert.equal(pre.status, 401, origin);
      assert.deepEqual(corsHeaders(pre), [], origin);
    }
  });
});
