// At most `limit` holders at once; the rest wait in order, each for at most `waitMs` (then BUSY) and
// only while their client is still there. The SQL Server driver keeps heavy statements to part of
// its pool with one, so look-ups always find a free connection.
import { onAbort } from './abort.js';
import { cancelled, StatementRefused } from './driver.js';
import type { QueueWait } from './queue-wait.js';

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
  /** `wait`: the request's waits so far, which together may last `waitMs` (queue-wait.ts). */
  enter(signal?: AbortSignal, wait?: QueueWait): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (this.held < this.limit) return Promise.resolve(this.take());
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        unlisten?.();
        wait?.end();
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
      wait?.begin();
      const left = Math.max(0, Math.min(this.waitMs, wait ? wait.left(this.waitMs) : this.waitMs));
      const timer = setTimeout(() => waiter.fail(new StatementRefused(`${this.what} stayed busy for ${this.waitMs} ms; retry later`, 'GATEWATCH_BUSY')), left);
      const unlisten = signal && onAbort(signal, () => waiter.fail(cancelled()));
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
