// The refresher's per-dataset schedule: each dataset's interval (the option's override, else the
// collector's own, else the default), how old its rows may grow before they are dropped, which
// datasets a round reads, and when the next one falls due.
import type { Collector } from './collector.js';
import type { CollectorName } from './names.js';
import { DEFAULT_MAX_AGE_INTERVALS, DEFAULT_REFRESH_SECONDS, type RefreshOptions } from './refresh-options.js';

/** Timers fire a little early at times; a dataset this close to due counts as due. */
const EARLY_MS = 10;

export class Schedule {
  private readonly defaultMs: number;
  private readonly intervals: Partial<Record<string, number>>;
  private readonly maxAgeIntervals: number;
  private readonly startedAt = new Map<CollectorName, number>();

  constructor(
    private readonly collectors: readonly Collector[],
    o: RefreshOptions,
  ) {
    this.defaultMs = (o.intervalSeconds ?? DEFAULT_REFRESH_SECONDS) * 1000;
    this.intervals = o.intervals ?? {};
    this.maxAgeIntervals = o.maxAgeIntervals ?? DEFAULT_MAX_AGE_INTERVALS;
    const unknown = Object.keys(this.intervals).filter((k) => !collectors.some((c) => c.name === k));
    if (unknown.length) throw new RangeError(`no collector reads dataset(s) ${unknown.join(', ')}`);
  }

  intervalMs(c: CollectorName): number {
    const own = this.collectors.find((x) => x.name === c)?.intervalSeconds;
    return (this.intervals[c] ?? own ?? this.defaultMs / 1000) * 1000;
  }

  maxAgeMs(c: CollectorName): number {
    return this.maxAgeIntervals * this.intervalMs(c);
  }

  /** The collectors due at `now`, marked as started then, in the order a round reads them. */
  due(now: number): Collector[] {
    const due = this.collectors.filter((c) => {
      const at = this.startedAt.get(c.name);
      return at === undefined || now - at >= this.intervalMs(c.name) - EARLY_MS;
    });
    if (!due.length) return due;
    for (const c of due) this.startedAt.set(c.name, now);
    // Frequent (cheap) reads first: a dear one with a long interval (the diagnosis) must not hold the
    // heavy lane while the others of its round wait behind it.
    due.sort((a, b) => this.intervalMs(a.name) - this.intervalMs(b.name));
    return due;
  }

  /** When the next dataset falls due (ms since the epoch); one never read counts from `now`. */
  nextDue(now: number): number {
    return Math.min(...this.collectors.map((c) => (this.startedAt.get(c.name) ?? now) + this.intervalMs(c.name)));
  }
}
