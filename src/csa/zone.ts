// Wall-clock time in an IANA zone to a UTC instant. BrokerService.log stamps rows with the core's local
// time and no offset, so the zone comes from a setting; Intl knows the zone's rules (DST included).
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether Intl knows the zone (the settings check --csa-time-zone with it at start). */
export function knownTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at instant `ms`, in milliseconds (east positive). */
function offsetAt(zone: string, ms: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
  return wall - Math.floor(ms / 1000) * 1000;
}

// A log file repeats the same quarter hour thousands of times: one Intl call per quarter hour, not per row.
// Every zone's transitions since 1970 fall on quarter hours.
const cache = new Map<string, number>();
const QUARTER = 15 * 60_000;

/**
 * The UTC instant (ms) of the wall time given as `wallMs` (the wall clock's fields read as if UTC).
 * As Temporal's "compatible": a time that occurs twice when clocks go back is its first occurrence;
 * a time skipped when they go forward is moved forward by the gap.
 */
export function wallToUtc(zone: string, wallMs: number): number {
  if (zone === 'UTC') return wallMs;
  const q = Math.floor(wallMs / QUARTER);
  const key = `${zone}|${q}`;
  let off = cache.get(key);
  if (off === undefined) {
    off = resolveOffset(zone, q * QUARTER);
    if (cache.size > 10_000) cache.clear();
    cache.set(key, off);
  }
  return wallMs - off;
}

function resolveOffset(zone: string, wallMs: number): number {
  const before = offsetAt(zone, wallMs - 86_400_000);
  const after = offsetAt(zone, wallMs + 86_400_000);
  const fits = (o: number) => offsetAt(zone, wallMs - o) === o;
  const candidates = [before, after].filter(fits);
  // Two fitting offsets: the hour repeated at the end of DST; the larger offset is the earlier instant.
  if (candidates.length) return Math.max(...candidates);
  // None fits: the wall time was skipped; read with the offset before the jump, it lands after it.
  return before;
}
