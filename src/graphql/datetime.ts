// The one ISO-8601 instant parser of the API, shared by the DateTime scalar and the cursor codec.
// Strict: `new Date()` rolls 2026-02-30 over to March 2 and accepts year 0000, so the fields are read
// by hand and must survive a round trip in the offset they were given.

// An explicit zone is required: a bare local time would silently mean the server's zone.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/i;

/** The instant `text` names, or undefined unless it is a real ISO-8601 date-time with a zone in years 0001–9999 (UTC). */
export function parseInstant(text: string): Date | undefined {
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  // The wall-clock fields as if in UTC; setUTCFullYear because Date.UTC maps years 0–99 to 1900–1999.
  const wall = new Date(Date.UTC(2000, 0, 1, hour, minute, second, ms));
  wall.setUTCFullYear(year, month - 1, day);
  const roundTrips =
    wall.getUTCFullYear() === year &&
    wall.getUTCMonth() === month - 1 &&
    wall.getUTCDate() === day &&
    wall.getUTCHours() === hour &&
    wall.getUTCMinutes() === minute &&
    wall.getUTCSeconds() === second;
  if (!roundTrips) return undefined;
  const sign = m[9] === '-' ? -1 : 1;
  const instant = new Date(wall.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);
  const utcYear = instant.getUTCFullYear();
  return utcYear >= 1 && utcYear <= 9999 ? instant : undefined;
}
