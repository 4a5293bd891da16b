// What the broker log said, kept as the exporter needs it: requests per CSA and feature, the last
// request per CSA, the devices each CSA brokered for in the last hour, rejected lines per reason.
// Memory stays bounded: devices older than an hour are pruned, and label pairs are capped.
import { CSA_REJECT_REASONS } from '../metrics/names.js';
import { parseLine, type RejectReason } from './parse.js';

/** csa × feature pairs at most: a log full of invented features must not grow Prometheus's series. */
export const MAX_SERIES = 1000;
/** Devices remembered per CSA within the hour; beyond it the gauge stops growing. */
export const MAX_DEVICES_PER_CSA = 500_000;
export const DEVICE_WINDOW_MS = 3600_000;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BOM = '\ufeff';

export class BrokerCounts {
  readonly requests = new Map<string, Map<string, number>>();
  readonly lastRequest = new Map<string, number>();
  readonly rejected = Object.fromEntries(CSA_REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
  /** The first rejected lines, for `gatewatch check` (kept only when asked for). */
  readonly samples: { reason: RejectReason; lineNumber: number; line: string }[] = [];
  /** Lines read so far, blank ones included: the number a text editor shows. */
  physical = 0;
  parsed = 0;
  bytes = 0;
  private series = 0;

  /** Lines counted either way: every one is a request or a rejection. */
  get lines(): number {
    return this.parsed + Object.values(this.rejected).reduce((a, b) => a + b, 0);
  }
  private readonly devices = new Map<string, Map<string, number>>();

  constructor(
    private readonly zone: string,
    private readonly now: () => number = Date.now,
    private readonly keepSamples = 0,
  ) {}

  /** One complete line as read from the file. */
  line(bytes: Buffer): void {
    this.physical++;
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      return this.reject('bad_encoding', bytes.toString('latin1'));
    }
    if (text.startsWith(BOM)) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    // A blank line is no row at all (a trailing CRLF, an editor's last line): not counted either way.
    if (!text.trim()) return;
    const r = parseLine(text, this.zone);
    if (!r.ok) return this.reject(r.reason, text);
    const { csa, feature, device, at } = r.row;
    let byFeature = this.requests.get(csa);
    if (!byFeature?.has(feature)) {
      if (this.series >= MAX_SERIES) return this.reject('too_many_series', text);
      this.series++;
      if (!byFeature) this.requests.set(csa, (byFeature = new Map()));
    }
    this.parsed++;
    byFeature.set(feature, (byFeature.get(feature) ?? 0) + 1);
    if (at > (this.lastRequest.get(csa) ?? -Infinity)) this.lastRequest.set(csa, at);
    if (at >= this.now() - DEVICE_WINDOW_MS) this.seen(csa, device, at);
  }

  dropped(reason: 'too_long' | 'incomplete'): void {
    this.physical++;
    this.reject(reason, '');
  }

  /** Distinct devices per CSA whose last request is within the hour before now (pruned as it goes). */
  devicesLastHour(): Map<string, number> {
    const since = this.now() - DEVICE_WINDOW_MS;
    const out = new Map<string, number>();
    for (const csa of this.requests.keys()) {
      const seen = this.devices.get(csa);
      if (seen) for (const [device, at] of seen) if (at < since) seen.delete(device);
      out.set(csa, seen?.size ?? 0);
    }
    return out;
  }

  private seen(csa: string, device: string, at: number): void {
    let seen = this.devices.get(csa);
    if (!seen) this.devices.set(csa, (seen = new Map()));
    if (!seen.has(device) && seen.size >= MAX_DEVICES_PER_CSA) {
      this.devicesLastHour();
      if (seen.size >= MAX_DEVICES_PER_CSA) return;
    }
    if (at > (seen.get(device) ?? -Infinity)) seen.set(device, at);
  }

  private reject(reason: RejectReason, line: string): void {
    this.rejected[reason]++;
    if (this.samples.length < this.keepSamples) this.samples.push({ reason, lineNumber: this.physical, line: line.slice(0, 200) });
  }
}
