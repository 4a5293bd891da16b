// Node 20's libuv accepts one new connection per turn of the event loop, and a turn lasts as long as
// the work that was ready when it began. A GraphQL request whose statements need no round trip (the
// SQLite statements on the server's thread) runs start to finish in one go: with 100 busy keep-alive
// clients a turn took ~150 ms, and new connections waited in the kernel's queue for seconds (strace:
// one accept4 per epoll_pwait). So at most `perTurn` requests start per turn; the others start in the
// turns after, in arrival order, and the loop gets back to accepting every few ms. A request waiting
// here holds no statement and no CPU. Since then such statements wait a turn once the turn has spent
// its budget (src/inventory/turn-pace.ts), which bounds a turn from inside running requests; the gate
// still bounds what requests starting in one turn add (reading, parsing and validating their documents).
export class TurnGate {
  private started = 0;
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(private readonly perTurn: number) {
    if (!(perTurn >= 1)) throw new RangeError(`a turn must let at least one request start, got ${perTurn}`);
  }

  /** Requests waiting for a later turn. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Undefined when the request may start now; otherwise a promise that resolves on its turn. */
  enter(): Promise<void> | undefined {
    this.schedule();
    if (this.started < this.perTurn && !this.waiting.length) {
      this.started++;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /**
   * At the end of a turn (its check phase), waiting requests take what is left of the turn's starts,
   * and the count begins again; nothing is scheduled while the gate is idle.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (let room = this.perTurn - this.started; room > 0 && this.waiting.length; room--) this.waiting.shift()!();
      this.started = 0;
      if (this.waiting.length) this.schedule();
    });
  }
}
