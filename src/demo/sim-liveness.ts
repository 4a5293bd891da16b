// The tick step that keeps agents reporting: each tick a share of the managed agents sends inventory
// (ResourceUpdateSummary rows move to now), so on average each reports every few hours and stays
// REPORTING. An agent that went silent (its last report older than the late threshold) stays silent
// unless it comes back, as laptops back from a holiday do; agents denied in a rollback burst are held
// silent for a while. Agents nobody happens to pick for a day go LATE on their own. It draws from its
// own Rng stream, so the other steps replay as they did before it existed.
import { AGENT_VERSIONS, CORE_AGENT_NAMES, DATA_CLASSES, versionAtLeast } from './liveness.js';
import { BLOCKED_PARAMS, blockedSql, iso, type SimState, type TickReport } from './sim-state.js';
import { THRESHOLDS } from '../metrics/names.js';

const HOUR = 3_600_000;
/** Mean time between two inventories of a healthy agent. */
export const REPORT_EVERY_MS = 4 * HOUR;
const LATE_MS = THRESHOLDS.reportingLateAfterHours * HOUR;
const INACTIVE_MS = THRESHOLDS.reportingInactiveAfterDays * 24 * HOUR;
/** Chance that a silent agent picked by a tick reports again, by how silent it is. */
export const COME_BACK = { late: 0.1, inactive: 0.01, never: 0.02 } as const;
const MAX_REPORTS = 1000;
const CLASSES = Object.values(DATA_CLASSES).map((c) => c.guid);

export function report(s: SimState, now: Date, r: TickReport): void {
  const rng = s.live;
  // As many reports as the time since the last tick calls for: a test stepping an hour a tick gets an hour's worth.
  const elapsed = Math.min(24 * HOUR, Math.max(s.interval, now.getTime() - (s.lastReportAt ?? now.getTime() - s.interval)));
  s.lastReportAt = now.getTime();
  const expected = (s.managed * elapsed) / REPORT_EVERY_MS;
  const n = Math.min(MAX_REPORTS, Math.floor(expected) + (rng.chance(expected % 1) ? 1 : 0));
  for (let i = 0; i < n; i++) {
    // By rowid, not by seeking a random GUID: every computer equally likely, whatever the gaps between
    // GUIDs. An agent its gateway refuses cannot send inventory; the planted ones stay as planted.
    const guid = s.one<string | undefined>(`SELECT Guid FROM vComputer vc WHERE rowid = ? AND IsManaged = 1 AND NOT ${blockedSql('vc.Guid')}`, rng.int(1, s.computerRows), ...BLOCKED_PARAMS);
    if (!guid || s.planted.has(guid)) continue;
    const held = s.held.get(guid);
    if (held !== undefined && held > now.getTime()) continue;
    // Let through again because an administrator approved it on the Access Troubleshooting page.
    if (held !== undefined) s.run(`UPDATE gatewatch_AccessRequest SET Status = 'approved' WHERE _ResourceGuid = ? AND Status = 'pending'`, guid);
    s.held.delete(guid);
    const last = s.one<string | null>('SELECT MAX(ModifiedDate) FROM ResourceUpdateSummary WHERE ResourceGuid = ?', guid);
    const age = last === null ? Infinity : now.getTime() - Date.parse(last);
    const silence = last === null ? 'never' : age >= INACTIVE_MS ? 'inactive' : age >= LATE_MS ? 'late' : undefined;
    if (silence && !rng.chance(COME_BACK[silence])) continue;
    if (silence) r.cameBack++;
    if (last === null) firstReport(s, guid);
    const when = new Date(now.getTime() - rng.int(0, s.interval - 1));
    const at = iso(when);
    // One or two data classes arrive at a time; a first report brings the three every agent sends.
    const classes = last === null ? CLASSES.slice(0, 3) : [rng.pick(CLASSES), rng.pick(CLASSES)].slice(0, rng.int(1, 2));
    for (const c of classes) {
      s.run('INSERT INTO ResourceUpdateSummary (ResourceGuid, InventoryClassGuid, ModifiedDate) VALUES (?, ?, ?) ON CONFLICT (ResourceGuid, InventoryClassGuid) DO UPDATE SET ModifiedDate = excluded.ModifiedDate', guid, c, at);
    }
    // Reporting from the Internet means it got through its gateway.
    s.connected(guid, when);
    r.reports++;
  }
}

/** A never-reported agent's first inventory includes its core agent row. */
function firstReport(s: SimState, guid: string): void {
  const version = s.live.weighted(AGENT_VERSIONS);
  const name = versionAtLeast(version, '8.8') ? CORE_AGENT_NAMES[0] : CORE_AGENT_NAMES[1];
  s.run('INSERT OR IGNORE INTO Inv_AeX_AC_Client_Agent (_ResourceGuid, [Agent Name], [Product Version]) VALUES (?, ?, ?)', guid, name, version);
}
