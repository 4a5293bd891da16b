// /readyz follows the background round, the same one gatewatch_up follows: garbage written over the
// SQLite file in place is "not ready" after one round, even while every page of the file sits in the
// readers' caches; the good file back in place is ready after the next. /readyz itself runs no SQL.
// Rounds are driven by the test on a manual clock, never waited for.
import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { test } from 'node:test';
import { M } from '../src/metrics/names.js';
import { copyOf, manualClock, metricsFixture, scrape, value } from './helpers/metrics.js';

const { demo, serve } = metricsFixture('readiness');

/** Writes `bytes` over the start of `file`, in place: same inode, same size, as a failing disk or a stray `dd` would. */
function overwrite(file: string, bytes: Buffer): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, bytes, 0, bytes.length, 0);
  } finally {
    closeSync(fd);
  }
}

async function ready(url: string): Promise<{ status: number; reason?: string }> {
  const r = await fetch(`${url}/readyz`);
  return { status: r.status, reason: ((await r.json()) as { reason?: string }).reason };
}

async function gql(url: string, query: string): Promise<{ data?: unknown; errors?: { extensions?: { code?: string } }[] }> {
  const r = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await r.json()) as never;
}

test('garbage over the first 64 KiB in place: /readyz 503 after one round, as gatewatch_up 0; 200 again once the file is good', async () => {
  const file = copyOf(demo(), 'readiness-garbage');
  const good = readFileSync(file);
  const clock = manualClock();
  const s = await serve({ path: file }, { intervalSeconds: 15, schedule: false, clock: clock.now });
  assert.deepEqual(await ready(s.url), { status: 200, reason: undefined });
  assert.equal(value((await scrape(s.url)).e, M.up), 1);
  // Every page cached by the readers: a small file, read whole by the first round and by a page.
  assert.equal((await gql(s.url, '{ computers(first: 5) { totalCount } }')).errors, undefined);

  overwrite(file, randomFillSync(Buffer.alloc(64 * 1024)));
  clock.advance(15_000);
  await s.refresher.refresh();
  const down = await ready(s.url);
  assert.equal(down.status, 503);
  assert.match(down.reason ?? '', /cannot read SQLite inventory .*readiness-garbage\.sqlite/);
  assert.equal(value((await scrape(s.url)).e, M.up), 0, 'the same verdict in /metrics');
  const page = await gql(s.url, '{ computers(first: 5) { totalCount } }');
  assert.equal(page.errors?.[0]?.extensions?.code, 'UNREACHABLE', 'no cached rows served from a file that is not a database');

  overwrite(file, good);
  clock.advance(15_000);
  await s.refresher.refresh();
  assert.deepEqual(await ready(s.url), { status: 200, reason: undefined });
  assert.equal(value((await scrape(s.url)).e, M.up), 1);
});

test('/readyz answers from the latest round: a hundred of them run no statement', async () => {
  const clock = manualClock();
  const s = await serve({ path: copyOf(demo(), 'readiness-storm') }, { intervalSeconds: 15, schedule: false, clock: clock.now });
  assert.equal((await ready(s.url)).status, 200, 'the first call waits for the first probe');
  // The rest of that round's reads, which do run statements.
  await s.refresher.refresh();
  const before = s.inventory.stats.total;
  const answers = await Promise.all(Array.from({ length: 100 }, () => ready(s.url)));
  assert.ok(answers.every((a) => a.status === 200));
  assert.equal(s.inventory.stats.total, before);
});
