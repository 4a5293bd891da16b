// demoRows: the estate (estate.ts) followed by what happened in it, access requests, denials and
// agent messages, in a fixed table order. A plain generator of rows, so any loader can consume it:
// the SQLite writer in generate.ts is one.
import * as F from './fleet.js';
import { Rng } from './rng.js';
import { ACCESS_BLOCKED_AGO } from './diagnosis.js';
import { ago, computerRows, connectionRows, DAY, defaultNow, gatewayRows, HOUR, MIN, relayRows, type DemoRow, type Tally } from './estate.js';

export interface DemoOptions {
  /** Managed computers; about 3% more unmanaged ones come on top. */
  computers?: number;
  seed?: number;
  /** The estate's "current time"; defaults to now rounded down to the minute. */
  now?: Date;
  /** Called every 10,000 computers and once at the end. */
  onProgress?: (done: number, total: number) => void;
}

export function* demoRows(opts: DemoOptions = {}): Generator<DemoRow> {
  const rng = new Rng(opts.seed ?? 1);
  const now = opts.now ?? defaultNow();
  const tally: Tally = { current: F.GATEWAYS.map(() => 0), brokerSum: [], serial: new Map(), sample: [], planted: [] };
  yield* gatewayRows(rng.fork('gateways'), tally);
  yield* computerRows(rng.fork('computers'), opts.computers ?? 5000, now, tally, opts.onProgress);
  yield* connectionRows(rng.fork('connections'), tally);
  yield* relayRows(rng.fork('relays'), now);
  yield* accessRequestRows(rng.fork('access'), now, tally);
  yield* denialRows(rng.fork('denials'), now, tally);
  yield* messageRows(rng.fork('messages'), now, tally);
}

/** A name that is not in vComputer: an agent registered after the backup the CMDB was rolled back to. */
function unknownAgent(rng: Rng, tally: Tally, used: Set<string>): string {
  for (;;) {
    const site = rng.pick(F.SITES).code;
    const name = `LT-${site}-${String((tally.serial.get(site) ?? 1000) + rng.int(1, 900)).padStart(6, '0')}`;
    if (!used.has(name)) return used.add(name), name;
  }
}

function* accessRequestRows(rng: Rng, now: Date, tally: Tally): Generator<DemoRow> {
  const used = new Set<string>();
  const rows = Array.from({ length: 36 }, () => {
    const drawn = rng.weighted(F.SITE_GATEWAYS.map((g) => [g, g.troubleshootingMode ? 10 : 1] as const));
    const known = tally.sample.length > 0 && rng.chance(0.5) ? rng.pick(tally.sample) : undefined;
    const reason = rng.weighted([['registration_not_found', 65], ['time_skew', 12], ['version_mismatch', 8], ['gateway_not_registered', 5], ['blocked', 10]] as const);
    // Only an unregistered gateway refuses an agent for being unregistered itself, since its problem began.
    const gw = reason === 'gateway_not_registered' ? UNREGISTERED : drawn;
    const createdAt = ago(now, gw === UNREGISTERED ? rng.int(5 * MIN, F.PROBLEM_SINCE_MS) : gw.troubleshootingMode ? rng.int(5 * MIN, 72 * HOUR) : rng.int(4 * DAY, 6 * DAY));
    const drawnStatus = reason === 'blocked' ? 'blocked' : rng.weighted([['pending', 65], ['approved', 25], ['blocked', 10]] as const);
    // A gateway now out of Troubleshooting mode reports nobody: its requests date from before it was
    // switched off, and have all been handled since.
    const status = drawnStatus === 'pending' && !gw.troubleshootingMode ? 'approved' : drawnStatus;
    const agentName = known && !used.has(known.name) ? (used.add(known.name), known.name) : unknownAgent(rng, tally, used);
    return { AgentName: agentName, _ResourceGuid: known?.name === agentName ? known.guid : null, ReportedBy: gw.name, CreatedAt: createdAt, Status: status, Reason: reason };
  });
  // The ACCESS_BLOCKED scenario: denied since the CMDB rollback, awaiting approval.
  for (const p of tally.planted.filter((x) => x.scenario.accessRequest)) {
    rows.push({ AgentName: p.name, _ResourceGuid: p.guid, ReportedBy: p.scenario.gateway ?? F.GATEWAYS[0]!.name, CreatedAt: ago(now, ACCESS_BLOCKED_AGO), Status: 'pending', Reason: 'registration_not_found' });
  }
  yield* numbered('gatewatch_AccessRequest', rows, 'CreatedAt');
}

const UNREGISTERED = F.GATEWAYS.find((g) => g.registered === false)!;

function* denialRows(rng: Rng, now: Date, tally: Tally): Generator<DemoRow> {
  const rows: Record<string, unknown>[] = [];
  for (const g of F.GATEWAYS) {
    for (let h = 0; h < 24; h++) {
      // Every agent the unregistered gateway refuses retries: more denials there since its problem began.
      const retries = g.registered === false && h * HOUR < F.PROBLEM_SINCE_MS;
      for (let n = retries ? rng.int(6, 12) : rng.int(1, 4); n > 0; n--) {
        const drawn = rng.weighted([['time_skew', 35], ['version_mismatch', 25], ['registration_not_found', 25], ['blocked', 10]] as const);
        const agent = tally.sample.length > 0 ? rng.pick(tally.sample).name : unknownAgent(rng, tally, new Set());
        const at = ago(now, h * HOUR + rng.int(0, HOUR - 1000));
        const problem = now.getTime() - at.getTime() < F.PROBLEM_SINCE_MS;
        // Since its problem began, a gateway that is down denies nobody, and an unregistered one
        // refuses ephemeral certificates for that reason (Broadcom ITMS CEM, Part 1 step 1 note).
        if (problem && g.online === false) continue;
        const reason = problem && g.registered === false && rng.chance(0.8) ? 'gateway_not_registered' : drawn;
        rows.push({ Gateway: g.name, AgentName: agent, Reason: reason, DeniedAt: at });
      }
    }
  }
  yield* numbered('gatewatch_Denial', rows, 'DeniedAt');
}

function* messageRows(rng: Rng, now: Date, tally: Tally): Generator<DemoRow> {
  const M = F.MESSAGES;
  const msg = (kind: F.MessageKind, computer: string, subject: string, at: Date) => ({ MessageTypeId: kind.id, Component: kind.component, Priority: kind.priority, Type: kind.type, Computer: computer, Text: kind.text(subject), RaisedAt: at });
  const rows = [msg(M.lowDisk, F.LOW_DISK_RELAY, F.LOW_DISK_RELAY, ago(now, rng.int(MIN, 10 * MIN))), msg(M.apache, 'RELAY-NYC-03', 'RELAY-NYC-03', ago(now, rng.int(HOUR, 6 * HOUR)))];
  for (let n = rng.int(200, 300); n > 0 && tally.sample.length > 0; n--) {
    const agent = rng.pick(tally.sample);
    const kind = rng.weighted<F.MessageKind>([[M.updateViaRelay, 40], [M.patchViaRelay, 35], [M.updateSlow, 25]] as const);
    rows.push(msg(kind, agent.name, `RELAY-${agent.site}-0${rng.int(1, 3)}`, ago(now, rng.int(MIN, 7 * DAY))));
  }
  // The relays the estate leaves broken say so, and the AGENT_ERRORS scenario cannot reach its relay.
  rows.push(msg(M.relayOffline, F.OFFLINE_RELAY, F.OFFLINE_RELAY, ago(now, 2 * F.RELAY_PING_MS)), msg(M.cacheFolder, F.BAD_CACHE_RELAY, F.BAD_CACHE_RELAY, ago(now, 5 * MIN)));
  for (const p of tally.planted.filter((x) => x.scenario.errorMessage)) rows.push(msg(M.updateViaRelay, p.name, F.OFFLINE_RELAY, ago(now, 30 * MIN)));
  yield* numbered('gatewatch_AgentMessage', rows, 'RaisedAt');
}

/** Ids ascend with time, as an identity column filled as events happen would. */
function* numbered(table: string, rows: Record<string, unknown>[], timeColumn: string): Generator<DemoRow> {
  rows.sort((a, b) => (a[timeColumn] as Date).getTime() - (b[timeColumn] as Date).getTime());
  for (const [i, row] of rows.entries()) yield { table, row: { Id: i + 1, ...row } };
}
