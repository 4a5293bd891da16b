// Statements on the server's thread (sqlite-inline.ts) answer without a round trip, so a request that
// runs many of them never gives the event loop back: with 16 clients sending 20 aliases of a
// 1,000-row page, whole requests ran to completion one after the other and /healthz waited seconds.
// The pacer is asked before each such statement: once the current turn of the event loop has spent
// its budget, the statement waits for the next turn (setImmediate: after the poll phase, where new
// connections and other requests' I/O are taken), so concurrent requests interleave with /healthz
// and /metrics instead of queueing behind each other. Time is kept only in production code; tests
// inject a clock or a budget of 0 and count the yields.

/** Past this much work in one turn (ms since its first paced statement), the next statement waits a turn. */
export const TURN_BUDGET_MS = 8;

export class TurnPacer {
  /** Statements that waited for a later turn: tests and the benchmark count them. */
  yields = 0;
  /** When the current turn's first paced statement ran; undefined until one has in this turn. */
  private turnStarted: number | undefined;

  constructor(
    /** 0: every statement after the first in a turn waits; Infinity: never (the old behaviour). */
    private readonly budgetMs = TURN_BUDGET_MS,
    private readonly clock: () => number = () => performance.now(),
  ) {
    if (!(budgetMs >= 0)) throw new RangeError(`a turn budget must be ≥ 0 ms, got ${budgetMs}`);
  }

  /**
   * Undefined when a statement may run in this turn; otherwise a promise that resolves in a later one.
   * A deferred statement asks again when its turn comes: all of a turn's deferred statements resume in
   * the same check phase, and admitting them all at once would make that turn as long as before.
   */
  pause(): Promise<void> | undefined {
    if (this.admit()) return undefined;
    return new Promise((resolve) => {
      const retry = () => (this.admit() ? resolve() : this.defer(retry));
      this.defer(retry);
    });
  }

  private defer(retry: () => void): void {
    this.yields++;
    setImmediate(retry);
  }

  private admit(): boolean {
    if (this.budgetMs === Infinity) return true;
    const now = this.clock();
    if (this.turnStarted === undefined) {
      this.turnStarted = now;
      // Queued before any statement this turn defers, so it runs first in the next check phase: the
      // deferred ones then start a fresh turn's budget.
      setImmediate(() => (this.turnStarted = undefined));
      return true;
    }
    return now - this.turnStarted < this.budgetMs;
  }
}
