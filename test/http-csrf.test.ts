// Cross-site request forgery on a server without a token: what a web page can make a browser send
// without a preflight (form, multipart and text/plain POSTs; GETs marked cross-site) runs nothing and
// is answered 415 or 403; JSON, scripts without an Origin, same-origin pages (GraphiQL) and the pages
// --cors-origin lists still work. "Runs nothing" is counted: the inventory's statement counter does not
// move (the background refresh is off, so only requests run statements).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startServer, type RunningServer } from '../src/http/server.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { demoDb, removeDir } from './helpers/graphql.js';

const QUERY = '{ computers(first: 1) { totalCount } }';
const ALLOWED = 'https://grafana.corp.example';
let dir: string | undefined;
let inventory: Inventory | undefined;
let server: RunningServer | undefined;

before(async () => {
  const db = await demoDb('csrf', 50);
  dir = db.dir;
  inventory = openInventory({ kind: 'sqlite', path: db.path });
  server = await startServer({
    inventory, host: '127.0.0.1', port: 0, graphiql: true, introspection: true, exposeStatementCount: false,
    corsOrigins: [ALLOWED], metrics: { schedule: false },
  });
});
after(async () => {
  await server?.close();
  await inventory?.close();
  if (dir) removeDir(dir);
});

/** The answer's status and error code, and how many statements the request ran. */
async function send(init: { method?: string; path?: string; headers?: Record<string, string>; body?: BodyInit }) {
  const before = inventory!.stats.total;
  const res = await fetch(`${server!.url}${init.path ?? '/graphql'}`, { method: init.method ?? 'POST', headers: init.headers, body: init.body });
  const body = (await res.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: res.status, code: body.errors?.[0]?.extensions?.code, message: body.errors?.[0]?.message ?? '', data: body.data, statements: inventory!.stats.total - before, res };
}

const json = JSON.stringify({ query: QUERY });
const getPath = `/graphql?query=${encodeURIComponent(QUERY)}`;

test('form, multipart and text/plain POSTs from another site are refused with 415 and run nothing', async () => {
  const form = new FormData();
  form.set('operations', json);
  form.set('map', '{}');
  const evil = { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
  for (const [what, headers, body] of [
    ['multipart', evil, form],
    ['urlencoded', { ...evil, 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ query: QUERY }).toString()],
    ['text/plain', { ...evil, 'content-type': 'text/plain' }, json],
    // The browser's own rule: only the media type counts, whatever the parameters say.
    ['text/plain naming JSON', { ...evil, 'content-type': 'text/plain; charset=utf-8; x=application/json' }, json],
    // Refused from anywhere, not only from other sites: the type is what a page can send without asking.
    ['urlencoded, no Origin', { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ query: QUERY }).toString()],
    ['no Content-Type', {}, new Blob([json])],
  ] as const) {
    const r = await send({ headers, body });
    assert.equal(r.status, 415, what);
    assert.equal(r.code, 'UNSUPPORTED_MEDIA_TYPE', what);
    assert.match(r.message, /Content-Type: application\/json/, what);
    assert.equal(r.res.headers.get('accept-post'), 'application/json', what);
    assert.equal(r.statements, 0, `${what}: nothing executed`);
  }
});

test('a GET query a page of another site makes the browser send is refused with 403 and runs nothing', async () => {
  const cases: Record<string, string>[] = [
    { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }, // <img src>, <script src>: no Origin sent
    { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' }, // a link followed
    { 'sec-fetch-site': 'same-site' }, // another port of the same host is another application
    { origin: 'https://evil.example' }, // a browser without Sec-Fetch-*
    { origin: 'null' }, // a sandboxed frame
  ];
  for (const headers of cases) {
    const r = await send({ method: 'GET', path: getPath, headers });
    assert.equal(r.status, 403, JSON.stringify(headers));
    assert.equal(r.code, 'CROSS_SITE_REQUEST');
    assert.match(r.message, /--cors-origin \(GATEWATCH_CORS_ORIGINS\)/);
    assert.equal(r.statements, 0, `${JSON.stringify(headers)}: nothing executed`);
  }
});

test('scripts, same-origin pages and --cors-origin pages still query, by JSON POST and by GET', async () => {
  const own = server!.url;
  const cases: [string, Parameters<typeof send>[0]][] = [
    ['curl POST', { headers: { 'content-type': 'application/json' }, body: json }],
    ['curl GET', { method: 'GET', path: getPath }],
    ['GraphiQL (same origin)', { headers: { 'content-type': 'application/json', origin: own, 'sec-fetch-site': 'same-origin' }, body: json }],
    ['a browser without Sec-Fetch-*, same origin', { headers: { 'content-type': 'application/json', origin: own }, body: json }],
    ['a URL typed in the address bar', { method: 'GET', path: getPath, headers: { 'sec-fetch-site': 'none' } }],
    ['yoga\'s other JSON type', { headers: { 'content-type': 'application/graphql+json' }, body: json }],
    ['an allowed page, POST', { headers: { 'content-type': 'application/json', origin: ALLOWED, 'sec-fetch-site': 'cross-site' }, body: json }],
    ['an allowed page, GET', { method: 'GET', path: getPath, headers: { origin: ALLOWED, 'sec-fetch-site': 'cross-site' } }],
  ];
  for (const [what, init] of cases) {
    const r = await send(init);
    assert.equal(r.status, 200, `${what}: ${r.message}`);
    assert.ok(r.statements > 0, `${what}: executed`);
    assert.equal(typeof (r.data as { computers: { totalCount: number } }).computers.totalCount, 'number');
  }
});

test('a link from another site still opens GraphiQL, and only allowed origins pass a preflight', async () => {
  const page = await fetch(`${server!.url}${getPath}`, { headers: { accept: 'text/html', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /graphiql/i);
  const preflight = (origin: string) =>
    fetch(`${server!.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type', 'sec-fetch-site': 'cross-site' } });
  assert.equal((await preflight(ALLOWED)).headers.get('access-control-allow-origin'), ALLOWED);
  assert.equal((await preflight('https://evil.example')).headers.get('access-control-allow-origin'), null);
});
