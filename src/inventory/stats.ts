// Counts executed SQL statements, in total and per request, so tests and benchmarks can assert how
// many statements a GraphQL request or a scrape costs instead of timing it. The request's scope also
// carries its abort signal, so statements of a client that went away are dropped.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { QueueWait } from './queue-wait.js';

export interface StatementScope {
  statements: number;
  /** Rows the request's statements returned. */
  rows: number;
  /** Called as each statement starts and as its rows land: throws to stop a request over its budget. */
  guard?: (s: StatementScope) => void;
  /** Aborted when the client went away: the driver drops its statements that still wait. */
  signal?: AbortSignal;
  /** Each statement's execution budget, when not the driver's statement timeout (background reads). */
  timeoutMs?: number;
  /** What the request has waited for workers, over all its statements (queue-wait.ts; made on first use). */
  queueWait?: QueueWait;
}

const scope = new AsyncLocalStorage<StatementScope>();

export class StatementStats {
  total = 0;
  byDataset = new Map<string, number>();

  record(dataset: string): void {
    this.total++;
    this.byDataset.set(dataset, (this.byDataset.get(dataset) ?? 0) + 1);
    const current = scope.getStore();
    if (!current) return;
    current.statements++;
    current.guard?.(current);
  }

  /** Counts the rows a statement returned against the request running now. */
  read(rows: number): void {
    const current = scope.getStore();
    if (!current) return;
    current.rows += rows;
    current.guard?.(current);
  }
}

/** Runs fn with its own statement count; every statement run inside it, however deep, is counted. */
export function withStatementScope<T>(fn: (s: StatementScope) => T, signal?: AbortSignal, timeoutMs?: number): T {
  const s: StatementScope = { statements: 0, rows: 0, signal, timeoutMs };
  return scope.run(s, () => fn(s));
}

/** The statement count of the request running now, if any. */
export function currentStatementScope(): StatementScope | undefined {
  return scope.getStore();
}

/**
 * Runs fn outside any request's scope: for work shared by many requests (a metrics snapshot), which
 * must neither be counted against nor cancelled with the request that happened to start it.
 */
export function outsideStatementScope<T>(fn: () => T): T {
  return scope.exit(fn);
}
