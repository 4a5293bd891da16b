// What a lane (sqlite-lane.ts) keeps: a slot, one worker process with the statement it runs, and a
// job, one statement with the requests awaiting it; and what is done to one of them alone. Which job
// goes to which slot, and when to give up on one, is the lane's.
import type { ChildProcess } from 'node:child_process';
import type { QueryResult } from './driver.js';
import type { QueueWait } from './queue-wait.js';
import { hold, idOf } from './sqlite-process.js';

/** Someone awaiting a job's result. */
export interface Waiter {
  resolve: (r: QueryResult) => void;
  reject: (e: Error) => void;
  /** Stops listening for its request's abort (abort.ts). */
  unlisten?: () => void;
  /** Its request's waits (queue-wait.ts), while this one waits, and when it has waited its share. */
  wait?: QueueWait;
  timer?: NodeJS.Timeout;
}

/** The waiter waits no more: it got a worker, or was answered otherwise. */
export function stopWaiting(w: Waiter): void {
  clearTimeout(w.timer);
  w.timer = undefined;
  w.wait?.end();
  w.wait = undefined;
}

export interface Job {
  sql: string;
  params: Record<string, unknown>;
  /** SQL and parameters, for joining an identical waiting job (heavy lane only). */
  key?: string;
  /** Its execution budget when not the lane's statement timeout (ms). */
  timeoutMs?: number;
  waiters: Waiter[];
  wait?: NodeJS.Timeout;
  slot?: Slot;
}

export interface Slot {
  worker: ChildProcess;
  ready: boolean;
  /** Statement texts this worker has been sent: later it gets their number only. */
  known: Set<number>;
  job?: Job;
  timer?: NodeJS.Timeout;
}

export type Reply = { ready: true } | { columns: string[]; rows: unknown[][] } | { error: { message: string; code: string } };

export class SqliteFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Sends the job's statement to the slot's worker: its text the first time, its number after that. */
export function send(slot: Slot, job: Job): void {
  const id = idOf(job.sql);
  const sql = id !== undefined && slot.known.has(id) ? undefined : job.sql;
  if (id !== undefined) slot.known.add(id);
  slot.worker.send({ id, sql, params: job.params });
}

/** The slot's job, now detached from it; the slot is idle again. */
export function finish(slot: Slot): Job | undefined {
  const job = slot.job;
  clearTimeout(slot.timer);
  slot.job = undefined;
  slot.timer = undefined;
  hold(slot.worker, false);
  return job;
}

/** Detaches a finished job's waiters; resolve or reject reaches every one of them. */
export function settle(job: Job): { resolve: (r: QueryResult) => void; reject: (e: Error) => void } {
  clearTimeout(job.wait);
  const waiters = job.waiters.splice(0);
  for (const w of waiters) {
    w.unlisten?.();
    stopWaiting(w);
  }
  return {
    resolve: (r) => waiters.forEach((w) => w.resolve(r)),
    reject: (e) => waiters.forEach((w) => w.reject(e)),
  };
}

/** Kills the worker unless it has exited already; resolves once it has. */
export async function kill(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return;
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  hold(worker, true); // until it has exited, or close() would return into an empty event loop
  worker.kill('SIGKILL');
  await exited;
}
