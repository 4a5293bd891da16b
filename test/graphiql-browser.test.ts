// GraphiQL works on an air-gapped network: headless Chromium (installed by scripts/ensure-tools.sh),
// with every name but 127.0.0.1 unresolvable and every other address sent to a dead proxy, renders
// the editor with gatewatch's default query from what the server sends, and nothing else.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { DEFAULT_QUERY } from '../src/graphql/graphiql.js';
import { CHROMIUM, dumpDom } from './helpers/chromium.js';
import { startServer, type RunningServer } from '../src/http/server.js';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { demoDb, removeDir } from './helpers/graphql.js';

let dir: string | undefined;
let inventory: Inventory | undefined;
let server: RunningServer | undefined;
before(async () => {
  const found = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  // Never a skip: ensure-tools.sh (npm test's pretest) installs it.
  if (found.status !== 0) throw new Error('this test needs Chromium: install the Debian package chromium (bash scripts/ensure-tools.sh does)');
  const db = await demoDb('graphiql', 50);
  dir = db.dir;
  inventory = openInventory({ kind: 'sqlite', path: db.path });
  server = await startServer({ inventory, host: '127.0.0.1', port: 0, graphiql: true, introspection: true, exposeStatementCount: false });
});
after(async () => {
  await server?.close();
  await inventory?.close();
  if (dir) removeDir(dir);
});

/** Chromium's DOM of `url` after the page has settled, with the network beyond 127.0.0.1 cut off. */
function renderedDom(url: string): Promise<string> {
  return dumpDom(url, [
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1', '--proxy-server=127.0.0.1:9', '--proxy-bypass-list=127.0.0.1',
    // Tall enough for the whole default query; virtual time runs the page's timers until it is idle,
    // however slow the machine.
    '--window-size=1280,1024', '--virtual-time-budget=30000',
  ]);
}

/** The visible document: inline scripts and styles (GraphiQL's own 9 MB of them) removed. */
const visible = (dom: string) => dom.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '').replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '');

/** The text of the editor's rendered lines (Monaco draws each line as spans of &nbsp;-joined text). */
const editorText = (dom: string) =>
  [...dom.matchAll(/<div[^>]*class="view-line"[^>]*>([\s\S]*?)<\/div>/g)]
    .map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/&nbsp;|\u00a0/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'))
    .join('\n');

test('the page loads nothing from anywhere else: no external script, style or font', async () => {
  const html = await (await fetch(`${server!.url}/graphql`, { headers: { accept: 'text/html' } })).text();
  assert.match(html, /<title>gatewatch<\/title>/);
  assert.doesNotMatch(html, /<(script|link|img)\b[^>]*\b(src|href)="(https?:)?\/\//i);
});

test('GraphiQL renders offline in Chromium, opening on the default query', async () => {
  const dom = visible(await renderedDom(`${server!.url}/graphql`));
  assert.doesNotMatch(dom, /Loading/, 'not stuck loading');
  assert.match(dom, /class="graphiql-container"/, 'GraphiQL mounted');
  assert.match(dom, /class="monaco-editor\b/, 'its editors rendered');
  assert.match(dom, /<title>gatewatch<\/title>/);
  const text = editorText(dom);
  for (const line of ['# Are the gateways healthy, and whom do they block?', 'troubleshootingMode', 'blockedAgents(filter: { status: PENDING }, first: 10) {']) {
    assert.ok(text.includes(line), `the editor shows ${JSON.stringify(line)}:\n${text}`);
  }
});

test('the default query answers without errors', async () => {
  const res = await fetch(`${server!.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: DEFAULT_QUERY }) });
  const body = (await res.json()) as { data?: { gateways: unknown[] }; errors?: unknown };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  assert.ok(body.data!.gateways.length > 0);
});
