// One row of BrokerService.log, as Ivanti's Endpoint Manager help ("Cloud Services Appliance logging")
// documents it: date and time, process id, thread id, CSA name, client device id, service (host:port),
// feature, comma-separated, e.g.
//   10 Apr 2013 14:55:54, 3440, 6616, ldcsa.mycompany.com, {D226…}, LMCORE95B:5007, Inventory
// A line that does not fit is rejected with a reason, never guessed at (docs/csa-broker-log.md).
import { CSA_REJECT_REASONS } from '../metrics/names.js';
import { wallToUtc } from './zone.js';

export type RejectReason = (typeof CSA_REJECT_REASONS)[number];

export interface BrokeredRequest {
  /** Unix milliseconds (UTC), converted from the core's local time. */
  at: number;
  csa: string;
  device: string;
  service: string;
  feature: string;
}

export type ParseResult = { ok: true; row: BrokeredRequest } | { ok: false; reason: RejectReason };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// The documented spelling, `10 Apr 2013 14:55:54`.
const DOCUMENTED = /^(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{1,2}):(\d\d):(\d\d)$/;
// ISO 8601 without a zone, as many Windows services write it: `2013-04-10 14:55:54` (or with a T).
const ISO = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.\d+)?$/;
// .NET's en-US general format: `4/10/2013 2:55:54 PM`. Only with AM/PM: a numeric date on a 24-hour
// clock is the day-first spelling of other cultures (10/04/2013 14:55:54), which cannot be told apart.
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d\d):(\d\d) ?([AaPp][Mm])$/;

// Labels stay bounded and printable: a host name or address, a short feature word.
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})$/;
const SERVICE = /^[A-Za-z0-9._-]{1,253}:\d{1,5}$/;
const FEATURE = /^[\p{L}\p{N}][\p{L}\p{N} ._/()-]{0,63}$/u;
const DEVICE = /^[^\s,]{1,128}$/;
const WHOLE = /^\d{1,10}$/;

/** Parses a line (without its line break) whose bytes were valid UTF-8. */
export function parseLine(line: string, zone: string): ParseResult {
  // Control characters other than tab: binary garbage, a UTF-16 file read as bytes, a torn write.
  if (/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/.test(line)) return { ok: false, reason: 'bad_encoding' };
  const cols = line.split(',').map((c) => c.trim());
  if (cols.length !== 7) return { ok: false, reason: 'bad_columns' };
  const [date, pid, tid, csa, device, service, feature] = cols as [string, string, string, string, string, string, string];
  const at = parseDate(date, zone);
  if (at === undefined) return { ok: false, reason: 'bad_date' };
  if (!WHOLE.test(pid) || !WHOLE.test(tid) || !HOST.test(csa) || !DEVICE.test(device) || !SERVICE.test(service) || !FEATURE.test(feature)) {
    return { ok: false, reason: 'bad_field' };
  }
  // Host names are case-insensitive; one CSA must be one series whatever the core wrote.
  return { ok: true, row: { at, csa: csa.toLowerCase(), device, service, feature } };
}

/** The instant (Unix ms) of a timestamp in one of the accepted spellings, or undefined. */
export function parseDate(text: string, zone: string): number | undefined {
  let y: number, mo: number, d: number, h: number, mi: number, s: number;
  let m = DOCUMENTED.exec(text);
  if (m) {
    mo = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
    [d, y, h, mi, s] = [m[1], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  } else if ((m = ISO.exec(text))) {
    [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  } else if ((m = US.exec(text))) {
    [mo, d, y, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (m[7]!.toLowerCase() === 'pm' ? 12 : 0);
  } else return undefined;
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59 || y < 1970) return undefined;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 31 Apr over to 1 May: a day the month does not have is a bad date.
  if (d < 1 || new Date(wall).getUTCDate() !== d) return undefined;
  return wallToUtc(zone, wall);
}
