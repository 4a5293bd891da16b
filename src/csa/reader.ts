// `--csa-broker-log DIR`: follows the core's BrokerService logs on a timer of its own and exports what
// they say. A scrape only formats the counts kept between polls; it never reads a file.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { MetricSource } from '../metrics/exporter.js';
import { CSA_REJECT_REASONS, L, M } from '../metrics/names.js';
import { BrokerCounts } from './counts.js';
import { DirTail, type PollResult } from './tail.js';

export interface BrokerLogOptions {
  dir: string;
  /** The core's IANA time zone: the log's timestamps are its local time. */
  zone: string;
  /** Milliseconds between two polls (default 15 s, the metrics refresh interval). */
  intervalMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

const FIRST_POLL_WAIT_MS = 5000;

export class BrokerLog implements MetricSource {
  readonly counts: BrokerCounts;
  private readonly tail: DirTail;
  private last: PollResult = { ok: false, files: 0 };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private first?: Promise<void>;
  private started = false;
  private closed = false;
  private failing = false;

  constructor(private readonly o: BrokerLogOptions) {
    this.counts = new BrokerCounts(o.zone, o.now);
    this.tail = new DirTail(o.dir, {
      line: (b) => this.counts.line(b),
      dropped: (r) => this.counts.dropped(r),
      bytes: (n) => (this.counts.bytes += n),
    });
  }

  start(): void {
    this.started = true;
    this.first = this.poll();
  }

  /** One poll now (the timer's, or a test's); polls never overlap. */
  poll(): Promise<void> {
    this.running ??= this.tail
      .poll()
      .then((r) => this.report(r), (e: unknown) => this.report({ ok: false, files: 0, error: (e as Error).message }))
      .finally(() => {
        this.running = undefined;
        if (this.started && !this.closed) this.timer = setTimeout(() => void this.poll(), this.o.intervalMs ?? 15_000).unref();
      });
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private report(r: PollResult): void {
    // An unmounted share is one line when it goes and one when it comes back, not one per poll.
    if (!r.ok && !this.failing) this.o.log?.(`CSA broker log: cannot read ${this.o.dir}: ${r.error}`);
    if (r.ok && this.failing) this.o.log?.(`CSA broker log: reading ${this.o.dir} again`);
    this.failing = !r.ok;
    this.last = r;
  }

  /** Only the first scrape after start waits, and at most 5 s, for the first poll (as the refresher's). */
  private async ready(): Promise<void> {
    if (!this.first) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.first, new Promise((r) => (timer = setTimeout(r, FIRST_POLL_WAIT_MS)))]);
    clearTimeout(timer);
    this.first = undefined;
  }

  register(registry: Registry): void {
    const c = this.counts;
    const registers = [registry];
    const self = this;
    new Counter({
      name: M.csaBrokeredRequests,
      help: 'Requests BrokerService.log recorded as brokered through each Cloud Services Appliance, by feature.',
      labelNames: [L.csa, L.feature],
      registers,
      async collect() {
        await self.ready();
        this.reset();
        for (const [csa, byFeature] of c.requests) for (const [feature, n] of byFeature) this.inc({ csa, feature }, n);
      },
    });
    new Gauge({
      name: M.csaDevicesLastHour,
      help: 'Distinct client devices each Cloud Services Appliance brokered a request for in the last hour.',
      labelNames: [L.csa],
      registers,
      async collect() {
        await self.ready();
        this.reset();
        for (const [csa, n] of c.devicesLastHour()) this.set({ csa }, n);
      },
    });
    new Gauge({
      name: M.csaLastRequest,
      help: 'When BrokerService.log last recorded a request brokered through each Cloud Services Appliance (Unix seconds).',
      labelNames: [L.csa],
      registers,
      async collect() {
        await self.ready();
        this.reset();
        for (const [csa, at] of c.lastRequest) this.set({ csa }, Math.floor(at / 1000));
      },
    });
    new Counter({
      name: M.csaLogRejectedLines,
      help: 'BrokerService.log lines not counted as requests, by reason (docs/csa-broker-log.md).',
      labelNames: [L.reason],
      registers,
      async collect() {
        await self.ready();
        this.reset();
        for (const reason of CSA_REJECT_REASONS) this.inc({ reason }, c.rejected[reason]);
      },
    });
    new Counter({
      name: M.csaLogBytesRead,
      help: 'Bytes read from the BrokerService logs.',
      registers,
      async collect() {
        await self.ready();
        this.reset();
        this.inc(c.bytes);
      },
    });
    new Gauge({
      name: M.csaLogFiles,
      help: 'BrokerService log files followed (the live ones and rotated ones not yet gone).',
      registers,
      async collect() {
        await self.ready();
        this.set(self.last.files);
      },
    });
    new Gauge({
      name: M.csaLogUp,
      help: '1 when the last poll could list the BrokerService log directory, else 0.',
      registers,
      async collect() {
        await self.ready();
        this.set(self.last.ok ? 1 : 0);
      },
    });
  }
}
