// GET /sd/gateways: the gateway list as Prometheus HTTP service discovery, from the background snapshot
// of gateway_endpoints (Inv_AeX_AC_InternetGatewayDetails) and gateways (gatewatch_Gateway) plus
// --gateway-targets, behind the /metrics tokens; and an SD refresh runs no SQL.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { openInventory, type Inventory } from '../src/inventory/index.js';
import { gatewayTargets } from '../src/settings.js';
import { serve, type Served } from './helpers/cli.js';
import { demoFile, pick, scrape, serveMetrics } from './helpers/metrics.js';
import { killOnExit } from './helpers/prometheus.js';
import { M } from '../src/metrics/names.js';

const API = 'api-token-0123456789abcdef';
const METRICS = 'metrics-token-0123456789abcdef';
let demo: { dir: string; path: string };
let served: Served;

before(async () => {
  demo = await demoFile('sd');
  served = await serve([
    '--db', `sqlite:${demo.path}`, '--mode', 'demo', '--listen', '127.0.0.1:0', '--api-token', API, '--metrics-token', METRICS,
    '--gateway-targets', 'csa.corp.example:443,branch-igw=10.1.2.3:4443',
  ]);
  killOnExit(served.proc);
});
after(async () => {
  await served?.stop();
  rmSync(demo.dir, { recursive: true, force: true });
});

const sd = (token?: string) => fetch(`${served.url}/sd/gateways`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** What the SD must list: every distinct gateway address in both tables, by SQL straight on the file. */
function expected(): Map<string, string> {
  const db = new Database(demo.path, { readonly: true });
  try {
    const rows = [
      ...(db.prepare('SELECT DISTINCT Gateway AS g, Port AS p FROM Inv_AeX_AC_InternetGatewayDetails').all() as { g: string; p: number }[]),
      ...(db.prepare('SELECT Name AS g, Port AS p FROM gatewatch_Gateway').all() as { g: string; p: number }[]),
    ];
    return new Map([...rows.map((r) => [`${r.g}:${r.p}`, r.g] as const), ['csa.corp.example:443', 'csa.corp.example'], ['10.1.2.3:4443', 'branch-igw']]);
  } finally {
    db.close();
  }
}

test('the metrics token and the API token open /sd/gateways; none or a wrong one gets 401', async () => {
  assert.equal((await sd()).status, 401);
  assert.equal((await sd('wrong-token-0123456789abcdef')).status, 401);
  assert.equal((await sd(API)).status, 200);
  const r = await sd(METRICS);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal((await fetch(`${served.url}/sd/gateways`, { method: 'POST', headers: { authorization: `Bearer ${METRICS}` } })).status, 405);
});

test('one target group per gateway address, labelled with the gateway, from both tables and the setting', async () => {
  const groups = (await (await sd(METRICS)).json()) as { targets: string[]; labels: Record<string, string> }[];
  const got = new Map(groups.map((g) => {
    assert.equal(g.targets.length, 1);
    assert.deepEqual(Object.keys(g.labels), ['gateway']);
    return [g.targets[0]!, g.labels.gateway!] as const;
  }));
  const want = expected();
  assert.ok(want.size > 3, 'the demo lists several gateways');
  assert.deepEqual([...got].sort(), [...want].sort());
  // The label is the one the exporter's own per-gateway families carry.
  const { e } = await scrape(served.url, { authorization: `Bearer ${METRICS}` });
  const exported = new Set(pick(e, M.gatewayListedComputers).map((s) => s.labels.gateway));
  for (const [target, gateway] of got) if (!target.startsWith('csa.') && !target.startsWith('10.')) assert.ok(exported.has(gateway) || pick(e, M.gatewayInfo, { gateway }).length, gateway);
});

test('gatewatch_gateway_listed_computers counts the computers whose gateway list names each gateway', async () => {
  const { e } = await scrape(served.url, { authorization: `Bearer ${METRICS}` });
  const db = new Database(demo.path, { readonly: true });
  try {
    const rows = db.prepare('SELECT Gateway AS g, COUNT(*) AS n FROM Inv_AeX_AC_InternetGatewayDetails GROUP BY Gateway').all() as { g: string; n: number }[];
    assert.deepEqual(
      pick(e, M.gatewayListedComputers).map((s) => [s.labels.gateway, s.value]).sort(),
      rows.map((r) => [r.g, r.n]).sort(),
    );
  } finally {
    db.close();
  }
});

test('an SD refresh is served from the background snapshot: no statement per request', async () => {
  let statements = 0;
  const inner = openInventory({ kind: 'sqlite', path: demo.path });
  const counting = new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (['all', 'page', 'count', 'byKeys', 'derive', 'tally', 'probe'].includes(String(prop))) statements++;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Inventory;
  const server = await serveMetrics({ inventory: counting }, { schedule: false });
  try {
    const first = await fetch(`${server.url}/sd/gateways`);
    assert.equal(first.status, 200);
    const after = statements;
    assert.ok(after > 0, 'the first request waits for the first background round');
    for (let i = 0; i < 5; i++) assert.equal((await fetch(`${server.url}/sd/gateways`)).status, 200);
    assert.equal(statements, after, 'five more refreshes ran no statement');
  } finally {
    await server.close();
  }
});

test('--gateway-targets: host:port or name=host:port, anything else refused with the setting named', () => {
  assert.deepEqual(gatewayTargets('a.example:443, igw=[::1]:8443', '--gateway-targets'), [
    { gateway: 'a.example', host: 'a.example', port: 443 },
    { gateway: 'igw', host: '::1', port: 8443 },
  ]);
  for (const bad of ['a.example', 'a.example:0', 'a.example:70000', 'http://a.example:443', 'a b:1']) {
    assert.throws(() => gatewayTargets(bad, '--gateway-targets'), /--gateway-targets: expected host:port/, bad);
  }
});
