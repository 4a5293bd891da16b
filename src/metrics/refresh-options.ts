// What a Refresher is told (the server's settings, or a test's clock and schedule) and its defaults,
// and what it keeps of each dataset's latest read and attempt. Split from refresher.ts so the
// defaults the docs state, and the types the collection reads, are found without the scheduling code.
import type { LivenessThresholds } from '../inventory/liveness.js';
import type { CollectorName } from './names.js';

export const DEFAULT_REFRESH_SECONDS = 15;
/** Rows older than this many of their dataset's intervals are dropped, not served. */
export const DEFAULT_MAX_AGE_INTERVALS = 3;
// Nobody waits on a background read; the bound only turns a hung statement into a failure (and a
// hung database into gatewatch_up 0) within a known time.
export const DEFAULT_COLLECTOR_TIMEOUT_MS = 10_000;
/**
 * A background read's own statement budget: aggregates over a large fleet (the diagnosis GROUP BY at a
 * million computers) take far longer than a request may, and nobody waits on them.
 */
export const DEFAULT_BACKGROUND_STATEMENT_TIMEOUT_MS = 120_000;
/** The first scrape after start waits at most this long for the first round (below Prometheus's 10 s scrape_timeout). */
export const DEFAULT_FIRST_WAIT_MS = 5_000;

export interface RefreshOptions {
  /** Default seconds between two reads of a dataset. */
  intervalSeconds?: number;
  /** Per-dataset intervals, seconds (e.g. a heavy aggregate every 60 s). */
  intervals?: Partial<Record<string, number>>;
  maxAgeIntervals?: number;
  /** How long one read (or the probe) may take before it counts as failed. */
  collectorTimeoutMs?: number;
  /**
   * Per-collector overrides of collectorTimeoutMs (ms), as `intervals` overrides intervalSeconds: a
   * test gives its one deliberately slow read a short wait while every other read keeps a generous
   * one, so on a loaded machine only that read can time out.
   */
  collectorTimeoutsMs?: Partial<Record<CollectorName, number>>;
  firstWaitMs?: number;
  /** false: no timers, the caller drives refresh() (tests, with `clock`). */
  schedule?: boolean;
  /** Where a collector's failure (once, not every round) and its recovery are reported. */
  log?: (line: string) => void;
  /** Milliseconds since the epoch; tests pass a clock they move, instead of waiting. */
  clock?: () => number;
  /** When an agent counts as LATE / INACTIVE (THRESHOLDS' defaults when left out). */
  liveness?: LivenessThresholds;
  /** Each background statement's execution budget (ms); DEFAULT_BACKGROUND_STATEMENT_TIMEOUT_MS when left out. */
  statementTimeoutMs?: number;
}

export interface Read {
  rows: unknown[];
  /** When the read finished; ms since the epoch. */
  at: number;
  durationSeconds: number;
}

export interface Attempt {
  durationSeconds: number;
  error?: unknown;
}
