// What a background read must pass before its rows are kept, and the log of collector failures that
// says each failure once (when it starts or changes) and each recovery, not every round.
import type { Collector, Sample } from './collector.js';
import type { CollectorName } from './names.js';

/** Throws unless every sample of these rows is a number the metric can take (counters: ≥ 0). */
export function checkedSamples(c: Collector, rows: unknown[]): Sample[] {
  const counters = new Set(c.families.filter((f) => f.type === 'counter').map((f) => f.name));
  const samples = c.samples(rows as never, { gateways: [] });
  for (const s of samples) {
    if (!Number.isFinite(s.value) || (counters.has(s.metric) && s.value < 0)) {
      throw new Error(`${s.metric}${JSON.stringify(s.labels)}: the inventory returned ${s.value}, not a valid value`);
    }
  }
  return samples;
}

export class FailureLog {
  private readonly failing = new Map<CollectorName, string>();

  constructor(private readonly log: (line: string) => void) {}

  note(collector: CollectorName, error?: unknown): void {
    const before = this.failing.get(collector);
    if (error === undefined) {
      if (before !== undefined) this.log(`metrics: collector ${collector} recovered`);
      this.failing.delete(collector);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (message !== before) this.log(`metrics: collector ${collector} failed: ${message}`);
    this.failing.set(collector, message);
  }

  /**
   * The inventory out of reach (the round's probe failed), or back (no error): one line for the whole
   * round, not one per collector, which all fail for that same reason.
   */
  outage(error?: unknown): void {
    const message = error === undefined ? undefined : error instanceof Error ? error.message : String(error);
    if (message === this.down) return;
    if (message !== undefined) this.log(`metrics: inventory unreachable, every collector fails until it answers: ${message}`);
    else this.log('metrics: inventory reachable again');
    this.down = message;
  }

  private down?: string;
}
