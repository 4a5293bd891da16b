// How long one request has waited for a worker (or, on SQL Server, a heavy connection), over all its
// statements. Each statement's wait used to be bounded on its own: the fleet diagnosis asked `live`
// is 16 statements, and with 20-40 such clients each slice queued behind the others' for a few
// seconds, under the bound every time, so requests were held 55-72 s. Bounded per request, the
// queue bound is what a request may wait in all, then it is answered BUSY. Waits that overlap (a
// page of 20 aliases queues 20 statements at once) count once: what is counted is the time during
// which at least one of the request's statements waited.

export class QueueWait {
  private spent = 0;
  private waiting = 0;
  private since = 0;

  /** The clock (ms); tests script one, so that what has been waited is a count, not a race. */
  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** One of the request's statements starts waiting. */
  begin(): void {
    if (this.waiting++ === 0) this.since = this.clock();
  }

  /** That statement stops waiting: it got its worker, was refused, or its client went away. */
  end(): void {
    if (this.waiting === 0) return;
    if (--this.waiting === 0) this.spent += this.clock() - this.since;
  }

  /** What is left of `boundMs` for this request to wait (ms; ≤ 0: nothing). */
  left(boundMs: number): number {
    return boundMs - this.spent - (this.waiting ? this.clock() - this.since : 0);
  }
}
