// Background statements by name: a statement still running (past an earlier caller's timeout) is
// joined, never started a second time, and each caller stops waiting after the timeout. A statement
// cannot be cancelled from here; the driver's own statement timeout ends it.
import { InventoryError } from '../inventory/errors.js';

export class JoinedStatements {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(private readonly timeoutMs: number) {}

  /** `timeoutMs`: this caller's wait, when not the default one. */
  run<T>(key: string, start: () => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    let p = this.running.get(key) as Promise<T> | undefined;
    if (!p) {
      const started = start();
      p = started;
      this.running.set(key, started);
      // Also settles a rejection that arrives after the timeout, when nobody awaits it any more.
      const done = () => void (this.running.get(key) === started && this.running.delete(key));
      started.then(done, done);
    }
    const ms = timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new InventoryError('TIMEOUT', `dataset ${key}: no answer within the ${ms} ms collector timeout`, key)), ms);
      timer.unref();
      p.then(
        (v) => (clearTimeout(timer), resolve(v)),
        (e: unknown) => (clearTimeout(timer), reject(e)),
      );
    });
  }
}
