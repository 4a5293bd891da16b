// One lane of SQLite worker processes (sqlite-worker.js) with its own queue: one statement per
// worker at a time. A statement's timeout starts when a warm worker (one that has loaded SQLite and
// said so) is handed the statement: forking, and waiting in the queue, are not its execution. Waiting
// is bounded separately and answered BUSY. A statement past its timeout is stopped by killing its
// worker; the others carry on.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cancelled, StatementRefused, type QueryResult } from './driver.js';

export interface LaneOptions {
  name: string;
  path: string;
  workers: number;
  timeoutMs: number;
  queueTimeoutMs: number;
  busyTimeoutMs: number;
  /** Kill the worker of a statement whose client went away (worth a fork for long aggregates). */
  killOnAbort: boolean;
}

interface Job {
  sql: string;
  params: Record<string, unknown>;
  resolve: (r: QueryResult) => void;
  reject: (e: Error) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  wait?: NodeJS.Timeout;
  slot?: Slot;
}

interface Slot {
  worker: ChildProcess;
  ready: boolean;
  /** Statement texts this worker has been sent: later it gets their number only. */
  known: Set<number>;
  job?: Job;
  timer?: NodeJS.Timeout;
}

type Reply = { ready: true } | { columns: string[]; rows: unknown[][] } | { error: { message: string; code: string } };

export class SqliteFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const WORKER = fileURLToPath(new URL('./sqlite-worker.js', import.meta.url));
/** A number per statement text, shared by all lanes; the texts are the datasets' few wrappings. */
const ids = new Map<string, number>();
const idOf = (sql: string): number => {
  let id = ids.get(sql);
  if (id === undefined) ids.set(sql, (id = ids.size));
  return id;
};

export class WorkerLane {
  /** Statements handed to a worker: tests count them. */
  executed = 0;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];

  constructor(private readonly o: LaneOptions) {}

  /** Statements waiting for a worker. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Worker processes, starting or ready. */
  get workers(): number {
    return this.slots.size;
  }

  run(sql: string, params: Record<string, unknown>, signal?: AbortSignal): Promise<QueryResult> {
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise<QueryResult>((resolve, reject) => {
      const job: Job = { sql, params, resolve, reject, signal };
      if (signal) {
        job.onAbort = () => this.abandon(job);
        signal.addEventListener('abort', job.onAbort, { once: true });
      }
      this.queue.push(job);
      this.dispatch();
      if (!job.slot) job.wait = setTimeout(() => this.expire(job), this.o.queueTimeoutMs);
    });
  }

  async close(): Promise<void> {
    const closed = new SqliteFailure('inventory closed', 'GATEWATCH_WORKER');
    for (const job of this.queue.splice(0)) this.settle(job).reject(closed);
    await Promise.all([...this.slots].map((slot) => this.retire(slot, closed)));
  }

  private dispatch(): void {
    while (this.queue.length) {
      let slot: Slot | undefined;
      for (const s of this.slots) if (s.ready && !s.job) slot = s;
      if (!slot) return this.grow();
      this.start(slot, this.queue.shift()!);
    }
  }

  /** Forks workers for waiting statements, up to the lane's size; they take work once warm. */
  private grow(): void {
    let starting = 0;
    for (const s of this.slots) if (!s.ready) starting++;
    while (this.slots.size < this.o.workers && starting < this.queue.length) {
      this.spawn();
      starting++;
    }
  }

  private start(slot: Slot, job: Job): void {
    clearTimeout(job.wait);
    job.slot = slot;
    slot.job = job;
    slot.timer = setTimeout(() => {
      void this.retire(slot, new SqliteFailure(`statement exceeded the ${this.o.timeoutMs} ms timeout`, 'GATEWATCH_TIMEOUT'));
      this.dispatch();
    }, this.o.timeoutMs);
    // A busy worker keeps the process alive until its answer arrives; an idle one must not.
    hold(slot.worker, true);
    this.executed++;
    const id = idOf(job.sql);
    const sql = slot.known.has(id) ? undefined : job.sql;
    slot.known.add(id);
    slot.worker.send({ id, sql, params: job.params });
  }

  private spawn(): void {
    const args = [JSON.stringify({ path: this.o.path, busyTimeoutMs: this.o.busyTimeoutMs })];
    // Plain JavaScript needs none of our loader flags. SQLite gives text, numbers and NULL only
    // (no bigint without safeIntegers, no blobs in the contract): JSON carries them, and is cheaper.
    const worker = fork(WORKER, args, { execArgv: [], serialization: 'json', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const slot: Slot = { worker, ready: false, known: new Set() };
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply) slot.ready = true;
      const job = this.finish(slot);
      if (job && 'error' in reply) this.settle(job).reject(new SqliteFailure(reply.error.message, reply.error.code));
      else if (job && 'rows' in reply) this.settle(job).resolve(reply);
      this.dispatch();
    });
    worker.on('error', (e) => {
      void this.retire(slot, new SqliteFailure(`SQLite worker failed: ${e.message}`, 'GATEWATCH_WORKER'));
      this.dispatch();
    });
    worker.on('exit', () => {
      if (!this.slots.delete(slot)) return;
      const failed = new SqliteFailure('SQLite worker exited', 'GATEWATCH_WORKER');
      const job = this.finish(slot);
      if (job) this.settle(job).reject(failed);
      // One that died before it was ready will die again: fail what waits instead of forking forever.
      else if (!slot.ready) for (const j of this.queue.splice(0)) this.settle(j).reject(failed);
      this.dispatch();
    });
    hold(worker, true);
    this.slots.add(slot);
  }

  /** The slot's job, now detached from it; the slot is idle again. */
  private finish(slot: Slot): Job | undefined {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    hold(slot.worker, false);
    return job;
  }

  private settle(job: Job): Job {
    clearTimeout(job.wait);
    if (job.onAbort) job.signal?.removeEventListener('abort', job.onAbort);
    return job;
  }

  private expire(job: Job): void {
    const i = this.queue.indexOf(job);
    if (i < 0) return;
    // Waiting for a worker that is still starting is not waiting behind other work.
    for (const s of this.slots) if (!s.ready) return void (job.wait = setTimeout(() => this.expire(job), this.o.queueTimeoutMs));
    this.queue.splice(i, 1);
    const why = `all ${this.o.workers} ${this.o.name} SQLite worker(s) stayed busy for ${this.o.queueTimeoutMs} ms; retry later`;
    this.settle(job).reject(new StatementRefused(why, 'GATEWATCH_BUSY'));
  }

  private abandon(job: Job): void {
    const i = this.queue.indexOf(job);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.settle(job).reject(cancelled());
    } else if (job.slot?.job === job && this.o.killOnAbort) {
      void this.retire(job.slot, cancelled(true));
      this.dispatch();
    }
  }

  /** Fails the slot's statement and kills its worker: only that stops SQLite mid-statement. */
  private async retire(slot: Slot, reason: Error): Promise<void> {
    if (!this.slots.delete(slot)) return;
    const job = this.finish(slot);
    if (job) this.settle(job).reject(reason);
    if (slot.worker.exitCode !== null || slot.worker.signalCode !== null) return;
    const exited = new Promise((resolve) => slot.worker.once('exit', resolve));
    hold(slot.worker, true); // until it has exited, or close() would return into an empty event loop
    slot.worker.kill('SIGKILL');
    await exited;
  }
}

/** Whether a worker process (and its IPC channel) keeps this process alive. */
function hold(worker: ChildProcess, busy: boolean): void {
  const channel = worker.channel as { ref(): void; unref(): void } | null | undefined;
  if (busy) {
    worker.ref();
    channel?.ref();
  } else {
    worker.unref();
    channel?.unref();
  }
}
