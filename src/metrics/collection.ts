// Runs the collectors against the Inventory. Prometheus may scrape every few seconds, from several
// servers at once; the CMDB should see each dataset once per cache interval however many scrapes
// arrive. So: one in-flight collection shared by concurrent scrapes, each dataset's successful rows
// kept for the interval, failures never kept (the next scrape retries them), and each dataset bounded
// by its own timeout so one slow view cannot hold the whole scrape.
import { performance } from 'node:perf_hooks';
import type { Row } from '../inventory/datasets.js';
import { InventoryError, isInventoryError } from '../inventory/errors.js';
import { DEFAULT_LIVENESS, type LivenessThresholds } from '../inventory/liveness.js';
import type { Inventory } from '../inventory/inventory.js';
import type { CollectContext, Collector, Sample } from './collector.js';
import type { CollectorName, MetricName } from './names.js';
import { selfSamples } from './self.js';

export const DEFAULT_CACHE_SECONDS = 15;
// Below Prometheus's default 10 s scrape_timeout: a slow dataset must fail its own collector, not the
// whole scrape.
export const DEFAULT_COLLECTOR_TIMEOUT_MS = 5_000;

export interface CollectionOptions {
  /** How long a dataset's successful result is served before it is read again (0: every scrape). */
  cacheSeconds?: number;
  /** How long one dataset may take before its collector counts as failed for this scrape. */
  collectorTimeoutMs?: number;
  /** Where a collector's failure (once, not every scrape) and its recovery are reported. */
  log?: (line: string) => void;
  /** Milliseconds since the epoch; tests pass a clock they move, instead of waiting. */
  clock?: () => number;
  /** When an agent counts as LATE / INACTIVE (THRESHOLDS' defaults when left out). */
  liveness?: LivenessThresholds;
}

export interface Outcome {
  collector: CollectorName;
  success: boolean;
  /** The attempt that produced this outcome; for a cached result, the attempt that read it. */
  durationSeconds: number;
  /** When the rows served (or, on failure, the last good ones) were read; ms since the epoch. */
  lastSuccessAt?: number;
  error?: unknown;
}

export interface Snapshot {
  /** False when the latest attempt of some collector could not reach the inventory at all. */
  up: boolean;
  outcomes: Outcome[];
  /** Every sample of this snapshot, by family. A failed collector's families are simply absent. */
  samples: Map<MetricName, Sample[]>;
}

interface Success {
  rows: unknown[];
  at: number;
  durationSeconds: number;
}

export class Collection {
  private readonly cacheMs: number;
  private readonly timeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly clock: () => number;
  /** Each dataset's latest success, kept past its interval only for its timestamp and gateway names. */
  private readonly cache = new Map<CollectorName, Success>();
  /** Statements still running, possibly past an earlier scrape's timeout: joined, never doubled. */
  private readonly running = new Map<CollectorName, Promise<Success>>();
  private readonly failing = new Map<CollectorName, string>();
  /** Counter series: the inventory's last total and the value exported (see monotonic()). */
  private readonly counters = new Map<string, { total: number; exported: number }>();
  private readonly counterFamilies: ReadonlySet<MetricName>;
  private inflight?: Promise<Snapshot>;
  private readonly liveness: LivenessThresholds;

  constructor(
    private readonly inventory: Inventory,
    private readonly collectors: readonly Collector[],
    o: CollectionOptions = {},
  ) {
    this.cacheMs = (o.cacheSeconds ?? DEFAULT_CACHE_SECONDS) * 1000;
    this.timeoutMs = o.collectorTimeoutMs ?? DEFAULT_COLLECTOR_TIMEOUT_MS;
    this.log = o.log ?? ((line) => console.error(`gatewatch: ${line}`));
    this.clock = o.clock ?? Date.now;
    this.liveness = o.liveness ?? DEFAULT_LIVENESS;
    this.counterFamilies = new Set(collectors.flatMap((c) => c.families.filter((f) => f.type === 'counter').map((f) => f.name)));
  }

  /** The current snapshot; concurrent callers (every family of a scrape, parallel scrapes) share one. */
  snapshot(): Promise<Snapshot> {
    this.inflight ??= this.collect().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async collect(): Promise<Snapshot> {
    const now = this.clock();
    // All datasets at once; zero-filling waits for the gateway names only after the reads.
    const results = await Promise.all(this.collectors.map((c) => this.run(c, now)));
    const context: CollectContext = { gateways: this.gatewayNames(results, now) };
    const samples = new Map<MetricName, Sample[]>();
    const outcomes = results.map(({ rows, ...outcome }, i): Outcome => {
      if (!rows) return outcome;
      const c = this.collectors[i]!;
      try {
        // Checked before any is kept: one bad value (a view's -1 "unknown") fails this collector alone.
        const own = c.samples(rows as never, context).map((s) => this.checked(s));
        for (const s of own) push(samples, this.monotonic(s));
        return outcome;
      } catch (error) {
        // Rows the collector cannot read cost its own families, not the scrape.
        for (const f of c.families) samples.delete(f.name);
        this.note(c.name, error);
        return { ...outcome, success: false, error };
      }
    });
    const up = !outcomes.some((o) => isInventoryError(o.error) && o.error.code === 'UNREACHABLE');
    for (const s of selfSamples(outcomes, up)) push(samples, s);
    return { up, outcomes, samples };
  }

  private async run(c: Collector, now: number): Promise<Outcome & { rows?: unknown[] }> {
    const cached = this.cache.get(c.name);
    if (cached && now - cached.at < this.cacheMs) {
      return { collector: c.name, success: true, durationSeconds: cached.durationSeconds, lastSuccessAt: cached.at, rows: cached.rows };
    }
    const started = performance.now();
    try {
      const s = await within(this.attempt(c), this.timeoutMs, c.name);
      this.note(c.name);
      return { collector: c.name, success: true, durationSeconds: s.durationSeconds, lastSuccessAt: s.at, rows: s.rows };
    } catch (error) {
      this.note(c.name, error);
      const durationSeconds = (performance.now() - started) / 1000;
      return { collector: c.name, success: false, durationSeconds, lastSuccessAt: this.cache.get(c.name)?.at, error };
    }
  }

  /** Reads the dataset, or joins the read already running. `all` binds `since` of denials as NULL: all time. */
  private attempt(c: Collector): Promise<Success> {
    const running = this.running.get(c.name);
    if (running) return running;
    const started = performance.now();
    // Parameters (the liveness cutoffs) are computed when the statement starts, from the same clock.
    const at = { now: new Date(this.clock()), liveness: this.liveness };
    const read = c.read ? c.read(this.inventory, at) : this.inventory.all(c.name, c.params?.(at) as never);
    const p = read.then((rows): Success => {
      const s = { rows, at: this.clock(), durationSeconds: (performance.now() - started) / 1000 };
      this.cache.set(c.name, s);
      return s;
    });
    this.running.set(c.name, p);
    // Also handles a rejection that arrives after the scrape's timeout, when nobody awaits it any more.
    const done = () => void this.running.delete(c.name);
    p.then(done, done);
    return p;
  }

  private checked(s: Sample): Sample {
    if (!Number.isFinite(s.value) || (this.counterFamilies.has(s.metric) && s.value < 0)) {
      throw new Error(`${s.metric}${JSON.stringify(s.labels)}: the inventory returned ${s.value}, not a valid value`);
    }
    return s;
  }

  /**
   * Counters come from inventory totals (a count of denial rows, a gateway's failure count). Rows
   * deleted by a clean-up or a restored backup make a total drop, which Prometheus would read as a
   * reset followed by every remaining denial being new: a false spike. So a drop is absorbed — the
   * exported counter holds and then follows increases from the new total.
   */
  private monotonic(s: Sample): Sample {
    if (!this.counterFamilies.has(s.metric)) return s;
    const key = `${s.metric}${JSON.stringify(s.labels)}`;
    const seen = this.counters.get(key);
    const exported = seen ? seen.exported + Math.max(0, s.value - seen.total) : s.value;
    this.counters.set(key, { total: s.value, exported });
    return { ...s, value: exported };
  }

  /**
   * Gateway names from this snapshot's gateways rows; if that read failed, the last good ones while
   * they are fresh — older names would keep a decommissioned gateway's zero series alive.
   */
  private gatewayNames(results: { collector: CollectorName; rows?: unknown[] }[], now: number): string[] {
    const cached = this.cache.get('gateways');
    const fallback = cached && now - cached.at < this.cacheMs ? cached.rows : [];
    const rows = results.find((r) => r.collector === 'gateways')?.rows ?? fallback;
    return (rows as Row<'gateways'>[]).map((g) => g.Name);
  }

  /** Logs a collector's failure when it starts or changes, and its recovery; not on every scrape. */
  private note(collector: CollectorName, error?: unknown): void {
    const before = this.failing.get(collector);
    if (error === undefined) {
      if (before !== undefined) this.log(`metrics: collector ${collector} recovered`);
      this.failing.delete(collector);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (message !== before) this.log(`metrics: collector ${collector} failed: ${message}`);
    this.failing.set(collector, message);
  }
}

function push(samples: Map<MetricName, Sample[]>, s: Sample): void {
  const list = samples.get(s.metric);
  if (list) list.push(s);
  else samples.set(s.metric, [s]);
}

function within<T>(p: Promise<T>, ms: number, collector: CollectorName): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new InventoryError('TIMEOUT', `dataset ${collector}: no answer within the ${ms} ms collector timeout`, collector)),
      ms,
    );
    timer.unref();
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}
