// At most `limit` holders at once; the rest wait in order, each for at most `waitMs` (then BUSY) and
// only while their client is still there. The SQL Server driver keeps heavy statements to part of
// its pool with one, so look-ups always find a free connection.
import { cancelled, StatementRefused } from './driver.js';

interface Waiter {
  grant: () => void;
  fail: (e: Error) => void;
}

export class Gate {
  private held = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly limit: number,
    private readonly waitMs: number,
    private readonly what: string,
  ) {}

  /** Resolves with a release function once a place is free. */
  enter(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.held < this.limit) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
      };
      const waiter: Waiter = {
        grant: () => {
          done();
          resolve(this.take());
        },
        fail: (e) => {
          done();
          reject(e);
        },
      };
      const onAbort = () => waiter.fail(cancelled());
      const timer = setTimeout(() => waiter.fail(new StatementRefused(`${this.what} stayed busy for ${this.waitMs} ms; retry later`, 'GATEWATCH_BUSY')), this.waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private take(): () => void {
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      this.waiting[0]?.grant();
    };
  }
}
