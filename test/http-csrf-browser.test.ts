// The cross-site rules against what a real browser sends: headless Chromium opens a page on another
// site (evil.example, resolved to 127.0.0.1) that submits a multipart form, a url-encoded form and a
// link to a GET query at a token-less gatewatch. Chromium shows gatewatch's answer, the refusal, and
// the inventory's statement counter does not move (the background refresh is off).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { startServer, type RunningServer } from '../src/http/server.js';
import { CHROMIUM, dumpDom } from './helpers/chromium.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { demoDb, removeDir } from './helpers/graphql.js';

const QUERY = '{ computers(first: 1) { totalCount } }';
let dir: string | undefined;
let inventory: Inventory | undefined;
let gatewatch: RunningServer | undefined;
let evil: Server | undefined;
let evilPort = 0;
/** The page evil.example serves at /NAME. */
const pages = new Map<string, string>();

before(async () => {
  const found = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  // Never a skip: ensure-tools.sh (npm test's pretest) installs it.
  if (found.status !== 0) throw new Error('this test needs Chromium: install the Debian package chromium (bash scripts/ensure-tools.sh does)');
  const db = await demoDb('csrf-browser', 50);
  dir = db.dir;
  inventory = openInventory({ kind: 'sqlite', path: db.path });
  gatewatch = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: false, introspection: false, exposeStatementCount: false, metrics: { schedule: false } });
  evil = createServer((req, res) => {
    const page = pages.get(req.url ?? '');
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page ?? 'no such page');
  });
  await new Promise<void>((resolve) => evil!.listen(0, '127.0.0.1', resolve));
  evilPort = (evil.address() as { port: number }).port;
});
after(async () => {
  await gatewatch?.close();
  await inventory?.close();
  await new Promise((resolve) => evil?.close(resolve));
  if (dir) removeDir(dir);
});

/** Chromium's DOM after it opened http://evil.example/NAME and followed wherever the page sent it. */
function visit(name: string): Promise<string> {
  return dumpDom(`http://evil.example:${evilPort}/${name}`, [
    '--host-resolver-rules=MAP evil.example 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    '--virtual-time-budget=10000',
  ]);
}

const form = (enctype: string, fields: Record<string, string>) => {
  const inputs = Object.entries(fields).map(([n, v]) => `<input type="hidden" name="${n}" value='${v}'>`).join('');
  return `<!doctype html><form id="f" method="post" enctype="${enctype}" action="${gatewatch!.url}/graphql">${inputs}</form><script>document.getElementById('f').submit()</script>`;
};

test('forms on another site submitted to gatewatch are refused and run nothing', async () => {
  pages.set('/multipart', form('multipart/form-data', { operations: JSON.stringify({ query: QUERY }), map: '{}' }));
  pages.set('/urlencoded', form('application/x-www-form-urlencoded', { query: QUERY }));
  pages.set('/text', form('text/plain', { '{"query":"{ computers(first: 1) { totalCount } }", "x': '"}' }));
  for (const name of ['multipart', 'urlencoded', 'text']) {
    const before = inventory!.stats.total;
    const dom = await visit(name);
    assert.match(dom, /UNSUPPORTED_MEDIA_TYPE/, `${name}: the browser shows the refusal:\n${dom.slice(0, 500)}`);
    assert.doesNotMatch(dom, /totalCount/, name);
    assert.equal(inventory!.stats.total, before, `${name}: nothing executed`);
  }
});

test('a page on another site sending the browser to a GET query is refused and runs nothing', async () => {
  pages.set('/link', `<!doctype html><script>location = ${JSON.stringify(`${gatewatch!.url}/graphql?query=${encodeURIComponent(QUERY)}`)}</script>`);
  const before = inventory!.stats.total;
  const dom = await visit('link');
  assert.match(dom, /CROSS_SITE_REQUEST/, dom.slice(0, 500));
  assert.equal(inventory!.stats.total, before, 'nothing executed');
});
