// The /metrics tests' fixture: a demo inventory file, the real HTTP server on 127.0.0.1 with the
// exporter's options under test, a scraper and a small parser of the Prometheus text format.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { buildDemoInventory } from '../../src/demo/generate.js';
import { startServer } from '../../src/http/server.js';
import { openInventory, type Inventory } from '../../src/inventory/index.js';
import type { ExporterOptions } from '../../src/metrics/exporter.js';
import { DEFAULT_REFRESH_SECONDS, type Refresher } from '../../src/metrics/refresher.js';
import { COLLECTORS } from '../../src/metrics/collectors/index.js';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  text: string;
  types: Map<string, string>;
  samples: Sample[];
}

/** The Prometheus text format 0.0.4, as far as the exporter writes it (no timestamps, no exemplars). */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { text, types, samples };
}

/** Samples of one metric, optionally only those whose labels include `match`. */
export function pick(e: Exposition, name: string, match: Record<string, string> = {}): Sample[] {
  return e.samples.filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v));
}

/** The single sample of `name` with exactly these labels; fails when there is none or several. */
export function value(e: Exposition, name: string, labels: Record<string, string> = {}): number {
  const found = pick(e, name, labels).filter((s) => Object.keys(s.labels).length === Object.keys(labels).length);
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name}${JSON.stringify(labels)}`);
  return found[0]!.value;
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string; e: Exposition }> {
  const res = await fetch(`${url}/metrics`, { headers });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', e: res.ok ? parseExposition(text) : parseExposition('') };
}

/** `promtool check metrics` on an exposition: its exit status and every line it printed. */
export function promtoolCheck(text: string): { status: number | null; lines: string[] } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error('install Debian package prometheus (promtool)');
  if (r.error) throw r.error;
  return { status: r.status, lines: `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim()) };
}

/** promtool's lint of an exposition: its findings, one a line, and its exit status when not 0; '' is a pass. */
export function promtoolFindings(text: string): string {
  const { status, lines } = promtoolCheck(text);
  return lines.join('\n') + (status === 0 ? '' : `\n(promtool exit status ${status})`);
}

/** The names prom-client's collectDefaultMetrics registers (process_*, nodejs_*). */
export function defaultMetricNames(): Set<string> {
  const r = new Registry();
  collectDefaultMetrics({ register: r });
  return new Set(r.getMetricsAsArray().map((m) => (m as unknown as { name: string }).name));
}

/** A manual clock: the exporter's snapshots age only when a test moves it. */
export function manualClock(start = Date.UTC(2026, 10, 25, 10)): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

export async function demoFile(name: string, computers = 300): Promise<{ dir: string; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), `gatewatch-${name}-`));
  const path = join(dir, 'demo.sqlite');
  await buildDemoInventory(path, { computers, seed: 5 });
  return { dir, path };
}

/** A copy of a demo file beside it (removed with it), so a test can break it without touching the others' data. */
export function copyOf(path: string, name: string): string {
  const copy = join(dirname(path), `${name}.sqlite`);
  copyFileSync(path, copy);
  return copy;
}

export interface MetricsServer {
  url: string;
  inventory: Inventory;
  /** The server's background refresher: tests that pass `schedule: false` drive it with refresh(). */
  refresher: Refresher;
  logged: string[];
  close(): Promise<void>;
}

/**
 * The real server over `inventory` (or a fresh one on `path`); exporter log lines are kept, not
 * printed. `metrics.schedule: false` leaves the refresher without timers: the first scrape runs the
 * first round, later ones only when the test calls refresher.refresh().
 */
export async function serveMetrics(
  source: { path: string } | { inventory: Inventory },
  metrics: ExporterOptions = {},
  apiToken?: string,
): Promise<MetricsServer> {
  const inventory = 'inventory' in source ? source.inventory : openInventory({ kind: 'sqlite', path: source.path });
  const logged: string[] = [];
  const server = await startServer({
    inventory,
    host: '127.0.0.1',
    port: 0,
    graphiql: false,
    introspection: false,
    exposeStatementCount: false,
    apiToken,
    // One interval for every dataset, the diagnosis's longer own one included, so a test's round reads
    // them all: tests that look at per-dataset intervals pass `intervals` themselves. Waits no honest
    // read nor first round can outlast however loaded the machine (a heavy worker's start-up and the
    // diagnosis's slices included), so a test never races the clock: a test of a timeout passes its own,
    // for its slow collector alone (collectorTimeoutsMs) where the others must still succeed.
    metrics: {
      log: (line) => logged.push(line),
      intervals: uniform(metrics.intervalSeconds),
      collectorTimeoutMs: GENEROUS_COLLECTOR_TIMEOUT_MS,
      firstWaitMs: GENEROUS_FIRST_WAIT_MS,
      ...metrics,
    },
  });
  return { url: server.url, inventory, refresher: server.refresher, logged, close: async () => (await server.close(), await inventory.close()) };
}

/** A test server's collector timeout: only a hung read reaches it (a failure well inside the 180 s per-test timeout). */
export const GENEROUS_COLLECTOR_TIMEOUT_MS = 60_000;
/** How long a test server's first scrape waits for the first round: its end, in effect. */
export const GENEROUS_FIRST_WAIT_MS = 120_000;

function uniform(seconds = DEFAULT_REFRESH_SECONDS): Record<string, number> {
  return Object.fromEntries(COLLECTORS.filter((c) => c.intervalSeconds !== undefined).map((c) => [c.name, seconds]));
}

/** A test file's demo inventory (built before its tests) and servers (closed after them, files removed). */
export function metricsFixture(name: string): { demo(): string; serve: typeof serveMetrics } {
  let file: { dir: string; path: string } | undefined;
  const servers: MetricsServer[] = [];
  before(async () => void (file = await demoFile(name)));
  after(async () => {
    for (const s of servers) await s.close();
    if (file) rmSync(file.dir, { recursive: true, force: true });
  });
  return {
    demo: () => file!.path,
    serve: async (...args) => {
      const s = await serveMetrics(...args);
      servers.push(s);
      return s;
    },
  };
}
