// The CSA broker log through the CLI, as an admin meets it: `gatewatch check --csa-broker-log DIR` on a
// folder of BrokerService logs, and `gatewatch serve --csa-broker-log DIR` whose /metrics carries the
// families (promtool-clean) and follows rows appended while it runs.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { M } from '../src/metrics/names.js';
import { runCli, serve } from './helpers/cli.js';
import { demoFile, parseExposition, pick, promtoolCheck, value } from './helpers/metrics.js';

const row = (when: string, csa: string, device: string, feature: string) => `${when}, 3440, 6616, ${csa}, {${device}}, LMCORE95B:5007, ${feature}\r\n`;

function logDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-csa-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('check --csa-broker-log: the newest file, its counts, rejected lines by reason and the first of them', (t) => {
  const dir = logDir(t);
  const old = join(dir, 'BrokerService_old.log');
  writeFileSync(old, row('1 Jan 2020 10:00:00', 'old.corp', 'A', 'Inventory'));
  utimesSync(old, new Date('2020-01-01'), new Date('2020-01-01'));
  writeFileSync(
    join(dir, 'BrokerService.log'),
    row('10 Apr 2013 14:55:54', 'ldcsa.mycompany.com', 'D226', 'Inventory') +
      row('2013-04-10 14:56:00', 'ldcsa.mycompany.com', 'D227', 'Vulscan') +
      'Thread started\n' +
      row('10/04/2013 14:57:00', 'ldcsa.mycompany.com', 'D228', 'Inventory') +
      row('4/10/2013 2:58:00 PM', 'ldcsa.mycompany.com', 'D229', 'Inventory') +
      '10 Apr 2013 14:59:00, 3440, 66',
  );
  const r = runCli(['check', '--csa-broker-log', dir, '--csa-time-zone', 'Europe/Berlin']);
  assert.equal(r.code, 1, `rejected lines are a finding\n${r.stdout}${r.stderr}`);
  const out = r.stdout;
  assert.match(out, /BrokerService\.log \(newest of 2 BrokerService\*\.log\), local times read in Europe\/Berlin/);
  assert.match(out, /lines: +5 \(\d+ bytes\); the last line has no line break yet and is not counted/);
  assert.match(out, /requests: 3 — ldcsa\.mycompany\.com \(Inventory 2, Vulscan 1\)/);
  assert.match(out, /last request \(UTC\): ldcsa\.mycompany\.com 2013-04-10T12:58:00\.000Z/);
  assert.match(out, /rejected: 2 — bad_columns 1, bad_date 1/);
  assert.match(out, /line 3 bad_columns: "Thread started"/);
  assert.match(out, /line 4 bad_date: "10\/04\/2013 14:57:00, 3440/);
  assert.doesNotMatch(out, /old\.corp/, 'only the newest file');

  const clean = logDir(t);
  writeFileSync(join(clean, 'BrokerService.log'), row('10 Apr 2013 14:55:54', 'ldcsa.mycompany.com', 'D226', 'Inventory'));
  const ok = runCli(['check', '--csa-broker-log', clean]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /rejected: 0\n/);

  const empty = logDir(t);
  const none = runCli(['check', '--csa-broker-log', empty]);
  assert.equal(none.code, 1);
  assert.match(none.stdout, /no BrokerService\*\.log file in/);
  const zone = runCli(['check', '--csa-broker-log', clean, '--csa-time-zone', 'Central European']);
  assert.equal(zone.code, 2);
  assert.match(zone.stderr, /--csa-time-zone: expected an IANA time zone/);
  const missing = runCli(['check', '--csa-broker-log', join(empty, 'nope')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--csa-broker-log: .* is not a directory/);
});

test('serve --csa-broker-log: /metrics carries the CSA families, promtool-clean, and follows appended rows', async (t) => {
  const dir = logDir(t);
  const { dir: demoDir, path } = await demoFile('csa-serve', 100);
  t.after(() => rmSync(demoDir, { recursive: true, force: true }));
  const live = join(dir, 'BrokerService.log');
  // Stamped a few minutes ago in the core's zone, so the devices gauge (last hour) counts them.
  const local = (msAgo: number) => new Date(Date.now() - msAgo).toLocaleString('sv-SE', { timeZone: 'America/New_York' });
  writeFileSync(live, row(local(300_000), 'csa1.corp', 'A', 'Inventory') + row(local(200_000), 'csa1.corp', 'B', 'Remote control') + 'garbage\n');
  const s = await serve(['--db', `sqlite:${path}`, '--mode', 'demo', '--listen', '127.0.0.1:0', '--metrics-refresh-seconds', '1', '--csa-broker-log', dir, '--csa-time-zone', 'America/New_York']);
  t.after(() => s.stop());
  // serve prints this line just after the GraphQL URL the helper waits for.
  await s.until(/CSA log .* local times in America\/New_York/);

  const scrape = async () => {
    const res = await fetch(`${s.url}/metrics`);
    assert.equal(res.status, 200);
    return res.text();
  };
  const text = await scrape();
  const { status, lines } = promtoolCheck(text);
  assert.deepEqual(lines, [], 'promtool prints nothing');
  assert.equal(status, 0);
  let e = parseExposition(text);
  assert.equal(e.types.get(M.csaBrokeredRequests), 'counter');
  assert.equal(value(e, M.csaBrokeredRequests, { csa: 'csa1.corp', feature: 'Inventory' }), 1);
  assert.equal(value(e, M.csaBrokeredRequests, { csa: 'csa1.corp', feature: 'Remote control' }), 1);
  assert.equal(value(e, M.csaDevicesLastHour, { csa: 'csa1.corp' }), 2);
  const lastAt = value(e, M.csaLastRequest, { csa: 'csa1.corp' });
  assert.ok(Math.abs(lastAt - (Date.now() - 200_000) / 1000) < 120, `last request ${lastAt} is ~200 s ago, read in New York time`);
  assert.equal(value(e, M.csaLogRejectedLines, { reason: 'bad_columns' }), 1);
  assert.equal(value(e, M.csaLogUp), 1);
  assert.equal(value(e, M.csaLogFiles), 1);

  appendFileSync(live, row(local(0), 'csa2.corp', 'C', 'Inventory'));
  // The reader polls every refresh interval (1 s here); a scrape never reads the file itself.
  for (let i = 0; i < 100 && !pick(e, M.csaBrokeredRequests, { csa: 'csa2.corp' }).length; i++) {
    await new Promise((r) => setTimeout(r, 100));
    e = parseExposition(await scrape());
  }
  assert.equal(value(e, M.csaBrokeredRequests, { csa: 'csa2.corp', feature: 'Inventory' }), 1);
  assert.equal(value(e, M.csaBrokeredRequests, { csa: 'csa1.corp', feature: 'Inventory' }), 1, 'nothing counted twice');
});
