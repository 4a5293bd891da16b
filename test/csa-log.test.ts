// The BrokerService.log reader on files this test writes in the documented format (Ivanti Endpoint
// Manager help, "Cloud Services Appliance logging"): rotation, truncation, a half line finished later,
// garbage bytes, other date spellings, DST; the counters equal what was written, line for line.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Registry } from 'prom-client';
import { BrokerLog } from '../src/csa/reader.js';
import { parseDate, parseLine } from '../src/csa/parse.js';
import { knownTimeZone } from '../src/csa/zone.js';
import { M } from '../src/metrics/names.js';
import { parseExposition, value } from './helpers/metrics.js';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

test('dates: the documented spelling, ISO and en-US with AM/PM, in the core zone; anything else is a bad date', () => {
  assert.equal(iso(parseDate('10 Apr 2013 14:55:54', 'UTC')), '2013-04-10T14:55:54.000Z');
  assert.equal(iso(parseDate('10 Apr 2013 14:55:54', 'Europe/Berlin')), '2013-04-10T12:55:54.000Z');
  assert.equal(iso(parseDate('2013-04-10 14:55:54', 'America/New_York')), '2013-04-10T18:55:54.000Z');
  assert.equal(iso(parseDate('4/10/2013 2:55:54 PM', 'UTC')), '2013-04-10T14:55:54.000Z');
  assert.equal(iso(parseDate('4/10/2013 12:05:00 AM', 'UTC')), '2013-04-10T00:05:00.000Z');
  assert.equal(iso(parseDate('1 Jan 2013 09:00:00', 'Europe/Berlin')), '2013-01-01T08:00:00.000Z', 'winter: +01:00');
  for (const bad of ['10/04/2013 14:55:54', '31 Apr 2013 10:00:00', '10 Foo 2013 10:00:00', '2013-04-10 24:00:00', '2013-04-10T14:55:54Z', '4/10/2013 13:00:00 PM', ''])
    assert.equal(parseDate(bad, 'UTC'), undefined, bad);
});

test('DST: a skipped wall time moves forward, a repeated one is its first occurrence', () => {
  // Europe/Berlin: 31 Mar 2013 02:00 CET -> 03:00 CEST; 27 Oct 2013 03:00 CEST -> 02:00 CET.
  assert.equal(iso(parseDate('31 Mar 2013 01:59:59', 'Europe/Berlin')), '2013-03-31T00:59:59.000Z');
  assert.equal(iso(parseDate('31 Mar 2013 02:30:00', 'Europe/Berlin')), '2013-03-31T01:30:00.000Z');
  assert.equal(iso(parseDate('31 Mar 2013 03:00:00', 'Europe/Berlin')), '2013-03-31T01:00:00.000Z');
  assert.equal(iso(parseDate('27 Oct 2013 02:30:00', 'Europe/Berlin')), '2013-10-27T00:30:00.000Z');
  assert.equal(iso(parseDate('27 Oct 2013 03:00:00', 'Europe/Berlin')), '2013-10-27T02:00:00.000Z');
  // America/New_York: 3 Nov 2013 01:30 happens twice (EDT, then EST).
  assert.equal(iso(parseDate('11/3/2013 1:30:00 AM', 'America/New_York')), '2013-11-03T05:30:00.000Z');
  assert.equal(iso(parseDate('2013-11-03 02:30:00', 'America/New_York')), '2013-11-03T07:30:00.000Z');
});

test('lines: the documented example parses; wrong column counts, fields and control bytes are rejected by reason', () => {
  const r = parseLine('10 Apr 2013 14:55:54, 3440, 6616, LDCSA.mycompany.com, {D226…}, LMCORE95B:5007, Inventory', 'UTC');
  assert.deepEqual(r, { ok: true, row: { at: Date.UTC(2013, 3, 10, 14, 55, 54), csa: 'ldcsa.mycompany.com', device: '{D226…}', service: 'LMCORE95B:5007', feature: 'Inventory' } });
  const reason = (l: string) => { const p = parseLine(l, 'UTC'); return p.ok ? 'ok' : p.reason; };
  assert.equal(reason('10 Apr 2013 14:55:54, 3440, 6616, ldcsa, {D1}, CORE:5007'), 'bad_columns');
  assert.equal(reason('10 Apr 2013 14:55:54, 3440, 6616, ldcsa, {D1}, CORE:5007, Inventory, extra'), 'bad_columns');
  assert.equal(reason('Apr 10 2013 14:55:54, 3440, 6616, ldcsa, {D1}, CORE:5007, Inventory'), 'bad_date');
  assert.equal(reason('10 Apr 2013 14:55:54, x, 6616, ldcsa, {D1}, CORE:5007, Inventory'), 'bad_field');
  assert.equal(reason('10 Apr 2013 14:55:54, 1, 2, ldcsa, {D1}, CORE, Inventory'), 'bad_field');
  assert.equal(reason('10 Apr 2013 14:55:54, 1, 2, ld csa, {D1}, CORE:1, Inventory'), 'bad_field');
  assert.equal(reason('10 Apr 2013 14:55:54, 1, 2, ldcsa, {D1}, CORE:1, Inven\u0000tory'), 'bad_encoding');
  assert.equal(knownTimeZone('Mars/Olympus'), false);
  assert.equal(knownTimeZone('Europe/Berlin'), true);
});

const row = (when: string, csa: string, device: string, feature: string) => `${when}, 3440, 6616, ${csa}, {${device}}, LMCORE95B:5007, ${feature}\r\n`;

test('the reader: incremental, rotation, truncation, a half line, garbage; counters equal what was written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-csa-'));
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);
  const log = new BrokerLog({ dir, zone: 'Europe/Berlin', now: () => now });
  t.after(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const live = join(dir, 'BrokerService.log');
  const c = log.counts;
  let written = 0;
  const write = (path: string, text: string | Buffer) => {
    appendFileSync(path, text);
    written += Buffer.byteLength(text);
  };
  // 13:30 Berlin = 12:30Z is in the future of `now`; 12:30 Berlin = 11:30Z is within the hour, 10:00 Berlin is not.
  write(live, '\ufeff' + row('25 Nov 2026 12:30:00', 'csa1.corp', 'A', 'Inventory') + row('25 Nov 2026 12:31:00', 'csa1.corp', 'B', 'Inventory'));
  write(live, row('25 Nov 2026 10:00:00', 'csa1.corp', 'C', 'Vulscan') + row('2026-11-25 12:40:00', 'csa2.corp', 'A', 'Remote control'));
  writeFileSync(join(dir, 'other.log'), row('25 Nov 2026 12:30:00', 'nope', 'Z', 'Inventory'));
  await log.poll();
  assert.equal(c.parsed, 4);
  assert.deepEqual(Object.fromEntries(c.requests.get('csa1.corp')!), { Inventory: 2, Vulscan: 1 });
  assert.equal(c.lastRequest.get('csa2.corp'), Date.UTC(2026, 10, 25, 11, 40));
  assert.deepEqual(Object.fromEntries(c.devicesLastHour()), { 'csa1.corp': 2, 'csa2.corp': 1 }, 'C was an hour and more ago');

  // Half a line: not counted until its line break arrives, then exactly once.
  write(live, '11/25/2026 12:45:00 PM, 1, 2, csa2.co');
  await log.poll();
  assert.equal(c.parsed, 4);
  write(live, 'rp, {D}, CORE:5007, Inventory\n');
  await log.poll();
  assert.equal(c.parsed, 5);
  assert.equal(c.requests.get('csa2.corp')!.get('Inventory'), 1);

  // Garbage bytes and lines of the wrong shape: counted by reason, the good line between them kept.
  write(live, Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x0a]));
  write(live, 'hello world\n' + '32 Nov 2026 10:00:00, 1, 2, csa1.corp, {E}, CORE:1, Inventory\n' + row('25 Nov 2026 12:50:00', 'csa1.corp', 'E', 'Inventory') + '\n  \n');
  await log.poll();
  assert.deepEqual([c.rejected.bad_encoding, c.rejected.bad_columns, c.rejected.bad_date, c.parsed], [1, 1, 1, 6]);

  // Rotation: more rows land in the old file, it is renamed, a new file starts; both are read in full.
  write(live, row('25 Nov 2026 12:51:00', 'csa1.corp', 'F', 'Inventory') + '25 Nov 2026 12:52:00, 1, 2, csa1.corp, {G}, CORE:1, Inventory');
  renameSync(live, join(dir, 'BrokerService.log.1'));
  write(live, row('25 Nov 2026 12:53:00', 'csa1.corp', 'H', 'Inventory'));
  await log.poll();
  assert.equal(c.parsed, 9, 'the rotated file to its end, its unfinished last row too, and the new file');
  assert.equal(c.requests.get('csa1.corp')!.get('Inventory'), 6, 'A, B, E, F, G, H');
  assert.equal(c.bytes, written, 'every byte read once');
  await log.poll();
  assert.equal(c.parsed, 9, 'nothing read twice');

  // Truncation: the file starts over; its new rows are counted, nothing else is re-read.
  truncateSync(live, 0);
  write(live, row('25 Nov 2026 12:58:00', 'csa3.corp', 'A', 'Inventory'));
  rmSync(join(dir, 'BrokerService.log.1'));
  await log.poll();
  assert.equal(c.parsed, 10);
  assert.equal(c.bytes, written);
  assert.equal(c.lastRequest.get('csa3.corp'), Date.UTC(2026, 10, 25, 11, 58));

  // A line that never ends within 64 KiB is too long, once; the row after it is read.
  write(live, 'x'.repeat(70_000));
  await log.poll();
  write(live, 'y'.repeat(10) + '\n' + row('25 Nov 2026 12:59:00', 'csa3.corp', 'B', 'Inventory'));
  await log.poll();
  assert.deepEqual([c.rejected.too_long, c.parsed], [1, 11]);
  // An unfinished line in a file that goes away is counted as incomplete, not dropped silently.
  write(live, '25 Nov 2026 12:59:30, 1');
  await log.poll();
  rmSync(live);
  await log.poll();
  assert.equal(c.rejected.incomplete, 1);
  assert.equal(c.lines, 11 + 5, 'every line a request or a rejection');

  const registry = new Registry();
  log.register(registry);
  const e = parseExposition(await registry.metrics());
  assert.equal(value(e, M.csaBrokeredRequests, { csa: 'csa1.corp', feature: 'Inventory' }), 6);
  assert.equal(value(e, M.csaBrokeredRequests, { csa: 'csa2.corp', feature: 'Remote control' }), 1);
  assert.equal(value(e, M.csaLastRequest, { csa: 'csa3.corp' }), Date.UTC(2026, 10, 25, 11, 59) / 1000);
  assert.equal(value(e, M.csaDevicesLastHour, { csa: 'csa1.corp' }), 6, 'A, B, E, F, G and H; not C, over an hour ago');
  assert.equal(value(e, M.csaLogRejectedLines, { reason: 'bad_date' }), 1);
  assert.equal(value(e, M.csaLogRejectedLines, { reason: 'too_many_series' }), 0, 'every reason exported, at 0 too');
  assert.equal(value(e, M.csaLogBytesRead), written);
  assert.equal(value(e, M.csaLogUp), 1);
});
