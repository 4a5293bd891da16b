// One lane of SQLite worker processes (sqlite-worker.js) with its own queue: one statement per
// worker at a time. A statement's timeout starts when a warm worker (one that has loaded SQLite and
// said so) is handed the statement: forking, and waiting in the queue, are not its execution. Waiting
// is bounded separately and answered BUSY. A statement past its timeout is stopped by killing its
// worker; the others carry on.
import { onAbort } from './abort.js';
import { cancelled, StatementRefused, type QueryResult } from './driver.js';
import { forkWorker, hold } from './sqlite-process.js';
import type { QueueWait } from './queue-wait.js';
import { finish, kill, send, settle, SqliteFailure, stopWaiting, type Job, type Reply, type Slot, type Waiter } from './sqlite-slot.js';

export { SqliteFailure };

export interface LaneOptions {
  name: string;
  path: string;
  workers: number;
  timeoutMs: number;
  queueTimeoutMs: number;
  busyTimeoutMs: number;
  /**
   * Kill the worker of a statement whose clients all went away (worth a fork for long aggregates),
   * and let a statement join an identical one still waiting in the queue: ten pollers of the same
   * aggregate then cost one execution, whose result is no older than any of their requests.
   */
  heavy: boolean;
}

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

  private closed = false;

  /** `wait`: the request's waits so far, which together may last the queue bound (queue-wait.ts). */
  run(sql: string, params: Record<string, unknown>, signal?: AbortSignal, timeoutMs?: number, wait?: QueueWait): Promise<QueryResult> {
    if (signal?.aborted) return Promise.reject(cancelled());
    // Closed for good: forking a worker now would outlive the shutdown that closed it.
    if (this.closed) return Promise.reject(new SqliteFailure('inventory closed', 'GATEWATCH_WORKER'));
    return new Promise<QueryResult>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      const key = this.o.heavy ? `${sql}\u0000${JSON.stringify(params)}` : undefined;
      // Only a twin with the same budget: a request must not inherit a background read's long queue wait.
      const twin = key === undefined ? undefined : this.queue.find((j) => j.key === key && j.timeoutMs === timeoutMs);
      const job: Job = twin ?? { sql, params, key, timeoutMs, waiters: [] };
      job.waiters.push(waiter);
      if (signal) waiter.unlisten = onAbort(signal, () => this.abandon(job, waiter));
      if (!twin) {
        this.queue.push(job);
        this.dispatch();
        if (!job.slot) job.wait = setTimeout(() => this.expire(job), this.queueLimit(job));
      }
      if (!job.slot && wait) this.account(job, waiter, wait);
    });
  }

  /** A request's statement starts waiting: it may wait what is left of the request's queue bound. */
  private account(job: Job, waiter: Waiter, wait: QueueWait): void {
    wait.begin();
    waiter.wait = wait;
    const left = wait.left(this.o.queueTimeoutMs);
    if (left <= 0) return this.refuse(job, waiter);
    waiter.timer = setTimeout(() => this.refuse(job, waiter), left);
  }

  /** The waiter's request has waited its queue bound in all: BUSY for it, while others may keep the job. */
  private refuse(job: Job, waiter: Waiter): void {
    const i = job.waiters.indexOf(waiter);
    if (job.slot || i < 0) return;
    // Waiting for a worker that is still starting is not waiting behind other work (as in expire).
    for (const s of this.slots) if (!s.ready) return void (waiter.timer = setTimeout(() => this.refuse(job, waiter), this.o.queueTimeoutMs));
    job.waiters.splice(i, 1);
    waiter.unlisten?.();
    stopWaiting(waiter);
    if (!job.waiters.length) {
      clearTimeout(job.wait);
      const at = this.queue.indexOf(job);
      if (at >= 0) this.queue.splice(at, 1);
    }
    const why = `all ${this.o.workers} ${this.o.name} SQLite worker(s) stayed busy while this request waited ${this.o.queueTimeoutMs} ms in all; retry later`;
    waiter.reject(new StatementRefused(why, 'GATEWATCH_BUSY'));
  }

  async close(): Promise<void> {
    this.closed = true;
    const closed = new SqliteFailure('inventory closed', 'GATEWATCH_WORKER');
    for (const job of this.queue.splice(0)) settle(job).reject(closed);
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
    job.waiters.forEach(stopWaiting);
    job.slot = slot;
    slot.job = job;
    const budget = job.timeoutMs ?? this.o.timeoutMs;
    slot.timer = setTimeout(() => {
      void this.retire(slot, new SqliteFailure(`statement exceeded the ${budget} ms timeout`, 'GATEWATCH_TIMEOUT'));
      this.dispatch();
    }, budget);
    // A busy worker keeps the process alive until its answer arrives; an idle one must not.
    hold(slot.worker, true);
    this.executed++;
    send(slot, job);
  }

  private spawn(): void {
    const worker = forkWorker(this.o.path, this.o.busyTimeoutMs);
    const slot: Slot = { worker, ready: false, known: new Set() };
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply) slot.ready = true;
      const job = finish(slot);
      if (job && 'error' in reply) settle(job).reject(new SqliteFailure(reply.error.message, reply.error.code));
      else if (job && 'rows' in reply) settle(job).resolve(reply);
      this.dispatch();
    });
    worker.on('error', (e) => {
      void this.retire(slot, new SqliteFailure(`SQLite worker failed: ${e.message}`, 'GATEWATCH_WORKER'));
      this.dispatch();
    });
    worker.on('exit', () => {
      if (!this.slots.delete(slot)) return;
      const failed = new SqliteFailure('SQLite worker exited', 'GATEWATCH_WORKER');
      const job = finish(slot);
      if (job) settle(job).reject(failed);
      // One that died before it was ready will die again: fail what waits instead of forking forever.
      else if (!slot.ready) for (const j of this.queue.splice(0)) settle(j).reject(failed);
      this.dispatch();
    });
    hold(worker, true);
    this.slots.add(slot);
  }

  private expire(job: Job): void {
    const i = this.queue.indexOf(job);
    if (i < 0) return;
    // Waiting for a worker that is still starting is not waiting behind other work.
    for (const s of this.slots) if (!s.ready) return void (job.wait = setTimeout(() => this.expire(job), this.queueLimit(job)));
    this.queue.splice(i, 1);
    const why = `all ${this.o.workers} ${this.o.name} SQLite worker(s) stayed busy for ${this.queueLimit(job)} ms; retry later`;
    settle(job).reject(new StatementRefused(why, 'GATEWATCH_BUSY'));
  }

  /**
   * How long a job may wait for a worker. One with a budget of its own (a background read) may wait
   * as long as it may run: nobody is kept waiting by it, and a read queued behind a long aggregate
   * (the diagnosis at a large fleet) then lands late instead of failing.
   */
  private queueLimit(job: Job): number {
    return Math.max(this.o.queueTimeoutMs, job.timeoutMs ?? 0);
  }

  /** A waiter's client went away; the job goes too once nobody waits for it. */
  private abandon(job: Job, waiter: Waiter): void {
    const running = job.slot?.job === job;
    if (job.waiters.length > 1 || (running && !this.o.heavy)) {
      const i = job.waiters.indexOf(waiter);
      if (i >= 0) job.waiters.splice(i, 1);
      stopWaiting(waiter);
      return waiter.reject(cancelled());
    }
    if (running) {
      void this.retire(job.slot!, cancelled(true));
      return this.dispatch();
    }
    const i = this.queue.indexOf(job);
    if (i >= 0) this.queue.splice(i, 1);
    settle(job).reject(cancelled());
  }

  /** Fails the slot's statement and kills its worker: only that stops SQLite mid-statement. */
  private async retire(slot: Slot, reason: Error): Promise<void> {
    if (!this.slots.delete(slot)) return;
    const job = finish(slot);
    if (job) settle(job).reject(reason);
    await kill(slot.worker);
  }
}
