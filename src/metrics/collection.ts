// Turns the refresher's latest reads into the samples a scrape serves, without touching the
// inventory. A collector is served when its latest read succeeded and is younger than its freshness
// limit; otherwise its families are absent and its success is 0. Snapshots are rebuilt only when a
// read settled or some data aged out, so a scrape storm costs a few map look-ups per scrape.
import type { Row } from '../inventory/datasets.js';
import type { CollectContext, Sample } from './collector.js';
import type { CollectorName, MetricName } from './names.js';
import type { Refresher } from './refresher.js';
import { selfSamples } from './self.js';

export interface Outcome {
  collector: CollectorName;
  success: boolean;
  /** The latest read of the dataset (0 before the first one ended). */
  durationSeconds: number;
  /** When the rows last read successfully were read; ms since the epoch. */
  lastSuccessAt?: number;
  error?: unknown;
}

export interface Snapshot {
  /** False when the latest round could not reach the inventory at all. */
  up: boolean;
  outcomes: Outcome[];
  /** Every sample of this snapshot, by family. A failed collector's families are simply absent. */
  samples: Map<MetricName, Sample[]>;
}

export class Collection {
  /** Counter series: the inventory's last total and the value exported (see monotonic()). */
  private readonly counters = new Map<string, { total: number; exported: number }>();
  private readonly counterFamilies: ReadonlySet<MetricName>;
  private built?: { key: string; snapshot: Snapshot };

  constructor(private readonly refresher: Refresher) {
    this.counterFamilies = new Set(
      refresher.collectors.flatMap((c) => c.families.filter((f) => f.type === 'counter').map((f) => f.name)),
    );
  }

  /** The samples of the latest good reads, as of now. Runs no SQL. */
  snapshot(): Snapshot {
    const now = this.refresher.clock();
    const fresh = this.refresher.collectors.map((c) => {
      const { attempt, read } = this.refresher.latest(c.name);
      const young = read !== undefined && now - read.at <= this.refresher.maxAgeMs(c.name);
      return { c, attempt, read, young, served: young && attempt !== undefined && attempt.error === undefined };
    });
    const key = `${this.refresher.version}:${fresh.map((f) => (f.served ? 1 : 0) + (f.young ? 2 : 0)).join('')}`;
    if (this.built?.key === key) return this.built.snapshot;

    const gateways = fresh.find((f) => f.c.name === 'gateways');
    // The last good gateway names while they are young: older ones would keep a decommissioned
    // gateway's zero series alive.
    const context: CollectContext = {
      gateways: gateways?.young ? (gateways.read!.rows as Row<'gateways'>[]).map((g) => g.Name) : [],
    };
    const samples = new Map<MetricName, Sample[]>();
    const outcomes = fresh.map(({ c, attempt, read, served }): Outcome => {
      const outcome = { collector: c.name, durationSeconds: attempt?.durationSeconds ?? 0, lastSuccessAt: read?.at };
      if (!served) {
        const error = attempt?.error ?? (read ? new Error(`data older than ${this.refresher.maxAgeMs(c.name) / 1000} s`) : undefined);
        return { ...outcome, success: false, error };
      }
      for (const s of c.samples(read!.rows as never, context)) push(samples, this.monotonic(s));
      return { ...outcome, success: true };
    });
    for (const s of selfSamples(outcomes, this.refresher.up)) push(samples, s);
    const snapshot = { up: this.refresher.up, outcomes, samples };
    this.built = { key, snapshot };
    return snapshot;
  }

  /**
   * Counters come from inventory totals (a count of denial rows, a gateway's failure count). Rows
   * deleted by a clean-up or a restored backup make a total drop, which Prometheus would read as a
   * reset followed by every remaining denial being new: a false spike. So a drop is absorbed — the
   * exported counter holds and then follows increases from the new total. Rebuilding from the same
   * total changes nothing.
   */
  private monotonic(s: Sample): Sample {
    if (!this.counterFamilies.has(s.metric)) return s;
    const key = `${s.metric}${JSON.stringify(s.labels)}`;
    const seen = this.counters.get(key);
    const exported = seen ? seen.exported + Math.max(0, s.value - seen.total) : s.value;
    this.counters.set(key, { total: s.value, exported });
    return { ...s, value: exported };
  }
}

function push(samples: Map<MetricName, Sample[]>, s: Sample): void {
  const list = samples.get(s.metric);
  if (list) list.push(s);
  else samples.set(s.metric, [s]);
}
