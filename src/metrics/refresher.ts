// Reads the collectors' datasets in the background, each on its own interval (like sql_exporter's
// min_interval), so that neither a scrape nor a GraphQL poller ever waits on the CMDB and the CMDB
// sees one statement per dataset per interval however many of them there are. A round starts with a
// reachability probe that decides gatewatch_up and /readyz, then reads every due dataset, one at a time;
// concurrent rounds share one, and a statement still running past an earlier timeout is joined,
// never started again.
import { performance } from 'node:perf_hooks';
import type { DatasetName } from '../inventory/datasets.js';
import { isInventoryError } from '../inventory/errors.js';
import { withStatementScope } from '../inventory/stats.js';
import type { Inventory } from '../inventory/inventory.js';
import { DEFAULT_LIVENESS, type LivenessThresholds } from '../inventory/liveness.js';
import type { Collector } from './collector.js';
import { JoinedStatements } from './joined.js';
import type { CollectorName } from './names.js';
import { DEFAULT_BACKGROUND_STATEMENT_TIMEOUT_MS, DEFAULT_COLLECTOR_TIMEOUT_MS, DEFAULT_FIRST_WAIT_MS, type Attempt, type Read, type RefreshOptions } from './refresh-options.js';
import { Schedule } from './schedule.js';
import type { Fresh, Snapshots } from './snapshots.js';
import { checkedSamples, FailureLog } from './validate.js';

export * from './refresh-options.js'; // the options, defaults and read types stay importable from here

/**
 * The dataset the round's probe runs for zero rows: it takes the same locks a read does, and it is the
 * core dataset, so the same probe says both whether the inventory answers (gatewatch_up) and whether
 * it can serve (/readyz).
 */
const PROBE_DATASET: DatasetName = 'computers';

export class Refresher implements Snapshots {
  readonly clock: () => number;
  private readonly liveness: LivenessThresholds;
  private readonly statementTimeoutMs: number;
  readonly log: FailureLog;
  /** Bumped whenever a read or the probe settles: snapshots built from older state are out of date. */
  version = 0;
  /** From the latest round: false when it could not reach the inventory at all, or before any round ended. */
  up = false;
  /** Why the latest round says the inventory cannot serve (an outage, or the core dataset failing); undefined when it can. */
  private unready: string | undefined = 'the inventory has not been probed yet';
  private markProbed: () => void = () => {};
  private readonly probed = new Promise<void>((resolve) => (this.markProbed = resolve));
  private readonly schedule: Schedule;
  private readonly firstWaitMs: number;
  private readonly scheduled: boolean;
  private readonly lastRead = new Map<CollectorName, Read>();
  private readonly lastAttempt = new Map<CollectorName, Attempt>();
  private readonly statements: JoinedStatements;
  private readonly timeoutsMs: Partial<Record<CollectorName, number>>;
  private round?: Promise<void>;
  private first?: Promise<void>;
  private firstDone = false;
  private firstWait?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly inventory: Inventory,
    readonly collectors: readonly Collector[],
    o: RefreshOptions = {},
  ) {
    this.statements = new JoinedStatements(o.collectorTimeoutMs ?? DEFAULT_COLLECTOR_TIMEOUT_MS);
    this.timeoutsMs = o.collectorTimeoutsMs ?? {};
    this.firstWaitMs = o.firstWaitMs ?? DEFAULT_FIRST_WAIT_MS;
    this.scheduled = o.schedule ?? true;
    this.clock = o.clock ?? Date.now;
    this.liveness = o.liveness ?? DEFAULT_LIVENESS;
    this.statementTimeoutMs = o.statementTimeoutMs ?? DEFAULT_BACKGROUND_STATEMENT_TIMEOUT_MS;
    this.log = new FailureLog(o.log ?? ((line) => console.error(`gatewatch: ${line}`)));
    this.schedule = new Schedule(collectors, o);
  }

  /** Starts the background rounds (the first one now). */
  start(): this {
    if (this.scheduled && !this.closed) this.first ??= this.refresh();
    return this;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  intervalMs(c: CollectorName): number {
    return this.schedule.intervalMs(c);
  }

  maxAgeMs(c: CollectorName): number {
    return this.schedule.maxAgeMs(c);
  }

  latest(c: CollectorName): { attempt?: Attempt; read?: Read } {
    return { attempt: this.lastAttempt.get(c), read: this.lastRead.get(c) };
  }

  /**
   * The first round, started if nothing started it, waited for at most firstWaitMs from the first
   * call; the scrapes meanwhile share that one wait. After it nobody waits again, even if the round
   * is still running (a large fleet's first round takes longer): they get what has been read so far.
   */
  ready(): Promise<void> {
    if (this.firstDone) return Promise.resolve();
    const first = (this.first ??= this.refresh());
    this.firstWait ??= Promise.race([first.catch(() => {}), new Promise<void>((resolve) => setTimeout(resolve, this.firstWaitMs).unref())]).then(
      () => void (this.firstDone = true),
    );
    return this.firstWait;
  }

  /**
   * Whether the inventory can serve, as the latest round's probe and reads found it: what /readyz
   * answers, so it can never say ready while gatewatch_up says down. Waits (at most firstWaitMs) for
   * the first probe, starting the first round if nothing did.
   */
  async readiness(): Promise<{ ready: boolean; reason?: string }> {
    this.first ??= this.refresh();
    await Promise.race([this.probed, new Promise<void>((resolve) => setTimeout(resolve, this.firstWaitMs).unref())]);
    return this.unready === undefined ? { ready: true } : { ready: false, reason: this.unready };
  }

  /** Rows a GraphQL field may serve instead of querying: the latest read, when it succeeded and is fresh. */
  read(dataset: DatasetName): Fresh<unknown> | undefined {
    const c = this.collectors.find((x) => x.name === dataset)?.name;
    if (!c) return undefined;
    const { attempt, read } = this.latest(c);
    if (!read || attempt?.error !== undefined || this.clock() - read.at > this.maxAgeMs(c)) return undefined;
    return { rows: read.rows, asOf: new Date(read.at) };
  }

  /** One round: every due dataset and the probe. Callers during a round share it. */
  refresh(): Promise<void> {
    this.round ??= this.runRound().finally(() => {
      this.round = undefined;
      this.plan();
    });
    return this.round;
  }

  private async runRound(): Promise<void> {
    const due = this.schedule.due(this.clock());
    if (!due.length) return;
    const started = performance.now();
    // A missing table or bad SQL is an answer: the inventory is reachable. No answer at all (cannot
    // open or connect, a writer's lock, silence past the timeout) is an outage.
    const failure = await this.statements.run('probe', () => this.inventory.probe(PROBE_DATASET)).then(
      () => undefined,
      (e: unknown) => e,
    );
    const outage = isInventoryError(failure) && (failure.code === 'UNREACHABLE' || failure.code === 'TIMEOUT') ? failure : undefined;
    this.up = outage === undefined;
    this.unready = failure === undefined ? undefined : failure instanceof Error ? failure.message : String(failure);
    this.markProbed();
    this.version++;
    if (!this.closed) this.log.outage(outage);
    if (outage) {
      // Every due collector fails with the probe's reason, without queueing reads that cannot answer
      // and without a log line each: the outage line above says it once.
      const durationSeconds = (performance.now() - started) / 1000;
      for (const c of due) this.failed(c.name, durationSeconds, outage, false);
      return;
    }
    // One read at a time: the background never holds more than one of the inventory's connections
    // (SQLite workers), so GraphQL requests find one free, and each aggregate runs alone.
    const queue = [...due];
    // Shutdown ends the round: no more statements (nor forked workers) for a server that is going away.
    while (queue.length && !this.closed) {
      const lost = await this.attempt(queue.shift()!);
      if (lost) [this.up, this.unready] = [false, lost.message];
    }
  }

  private failed(c: CollectorName, durationSeconds: number, error: unknown, log = true): void {
    this.lastAttempt.set(c, { durationSeconds, error });
    // A read cut short by shutdown (the inventory closing under it) is not worth a log line.
    if (log && !this.closed) this.log.note(c, error);
    this.version++;
  }

  /** Reads one dataset; resolves to the failure when it says the inventory is unreachable. */
  private async attempt(c: Collector): Promise<Error | undefined> {
    const started = performance.now();
    try {
      await this.statements.run(c.name, () => this.readAndKeep(c, started), this.timeoutsMs[c.name]);
      return undefined;
    } catch (error) {
      // A read still running past the round's wait, or queued behind one, while the rows served are
      // still young: it lands when it lands (read() keeps it), and nothing has failed yet.
      const pending = isInventoryError(error) && (error.code === 'TIMEOUT' || error.code === 'BUSY') && this.snapshotYoung(c.name);
      if (!pending) this.failed(c.name, (performance.now() - started) / 1000, error);
      return isInventoryError(error) && error.code === 'UNREACHABLE' ? error : undefined;
    }
  }

  /**
   * One read, in its own statement scope with the background budget, kept when it succeeds — also
   * when the round stopped waiting for it: a slow aggregate's late rows are good rows.
   */
  private async readAndKeep(c: Collector, started: number): Promise<unknown[]> {
    // Parameters (the liveness cutoffs) are computed when the read starts, from the same clock.
    const at = { now: new Date(this.clock()), liveness: this.liveness };
    const rows = await withStatementScope(
      () => (c.read ? c.read(this.inventory, at) : this.inventory.all(c.name, c.params?.(at) as never)),
      undefined,
      this.statementTimeoutMs,
    );
    // A value a metric cannot take (a view's -1 "unknown") fails this collector alone, here, once.
    checkedSamples(c, rows);
    if (this.closed) return rows;
    const durationSeconds = (performance.now() - started) / 1000;
    this.lastRead.set(c.name, { rows, at: this.clock(), durationSeconds });
    this.lastAttempt.set(c.name, { durationSeconds });
    this.log.note(c.name);
    this.version++;
    return rows;
  }

  /** Whether the rows served for c are still good: what read() would hand GraphQL. */
  private snapshotYoung(c: CollectorName): boolean {
    return this.read(c) !== undefined;
  }

  /** Sets the timer for the next dataset to fall due. */
  private plan(): void {
    if (!this.scheduled || this.closed) return;
    const now = this.clock();
    const next = this.schedule.nextDue(now);
    clearTimeout(this.timer);
    // A round never rejects today; if it ever did, that must cost a log line, not the process.
    this.timer = setTimeout(() => void this.refresh().catch((e: unknown) => this.log.outage(e)), Math.max(0, next - now));
    this.timer.unref();
  }
}
