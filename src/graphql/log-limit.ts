// A failure repeated by every request (the database down, a table missing) is news once, not once per
// request: the first occurrence of a message is written, repeats within the window are counted, and
// the count is written when the window ends. While the failure lasts that is one line per window;
// once it stops, the next occurrence is written at once again.

interface Pending {
  suppressed: number;
  timer: NodeJS.Timeout;
}

export class RateLimitedLog {
  private readonly pending = new Map<string, Pending>();

  constructor(
    readonly windowMs = 60_000,
    /** Distinct messages tracked at once; beyond that each is written, unlimited but never lost. */
    private readonly maxKeys = 1000,
  ) {}

  /**
   * `first()` for the first `key` in a window; later ones in the window are counted, and
   * `repeated(n)` reports them when it ends.
   */
  note(key: string, first: () => void, repeated: (n: number) => void): void {
    const p = this.pending.get(key);
    if (p) {
      p.suppressed++;
      return;
    }
    first();
    if (this.pending.size >= this.maxKeys) return;
    this.pending.set(key, { suppressed: 0, timer: this.schedule(key, repeated) });
  }

  private schedule(key: string, repeated: (n: number) => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const p = this.pending.get(key);
      if (!p?.suppressed) {
        this.pending.delete(key);
        return;
      }
      repeated(p.suppressed);
      // Still failing: keep counting for another window rather than writing the next one in full.
      p.suppressed = 0;
      p.timer = this.schedule(key, repeated);
    }, this.windowMs);
    // A log must never keep the process alive.
    timer.unref?.();
    return timer;
  }

  /** Drops what is pending, unreported. */
  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
  }
}
