// The demo inventory: a deterministic estate streamed as rows (reusable by any loader), and the
// SQLite writer that builds it into a file. Rows stream so a million computers fit in bounded memory.
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { TABLES } from '../inventory/tables.js';
import { schemaSql } from './ddl.js';
import * as F from './fleet.js';
import { Rng } from './rng.js';

export interface DemoOptions {
  /** Managed computers; about 3% more unmanaged ones come on top. */
  computers?: number;
  seed?: number;
  /** The estate's "current time"; defaults to now rounded down to the minute. */
  now?: Date;
  /** Called every 10,000 computers and once at the end. */
  onProgress?: (done: number, total: number) => void;
}

/** One row of a contract table, keyed by column name; booleans as boolean, timestamps as Date. */
export interface DemoRow {
  table: string;
  row: Record<string, unknown>;
}

export interface DemoSummary {
  path: string;
  seed: number;
  now: Date;
  computers: number;
  unmanaged: number;
  /** Rows written per table. */
  rows: Record<string, number>;
  ms: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const PROGRESS_EVERY = 10_000;

export function defaultNow(): Date {
  return new Date(Math.floor(Date.now() / MIN) * MIN);
}

const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
const ahead = (now: Date, ms: number) => new Date(now.getTime() + ms);

interface Agent {
  name: string;
  guid: string;
  site: string;
}

/** What later tables need to know about the computers without holding them all. */
interface Tally {
  current: number[];
  brokerSum: number[];
  serial: Map<string, number>;
  /** Reservoir sample of managed computers: denials, access requests and messages name them. */
  sample: Agent[];
}

const SAMPLE_SIZE = 500;

/**
 * Builds the demo inventory into `path`: written to `path.tmp` and renamed over `path`, so a reader
 * never opens half a file. Indexes come after the bulk insert, which is several times faster.
 */
export async function buildDemoInventory(path: string, opts: DemoOptions = {}): Promise<DemoSummary> {
  const started = Date.now();
  const now = opts.now ?? defaultNow();
  const seed = opts.seed ?? 1;
  const tmp = `${path}.tmp`;
  mkdirSync(dirname(path), { recursive: true });
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(f, { force: true });
  const ddl = schemaSql('sqlite');
  const counts: Record<string, number> = Object.fromEntries(TABLES.map((t) => [t.name, 0]));
  const db = new Database(tmp);
  try {
    // Nothing to protect while building a throw-away file: no journal, no fsync.
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -131072');
    for (const sql of ddl.filter((s) => !s.startsWith('CREATE INDEX'))) db.exec(sql);
    const inserts = new Map(
      TABLES.map((t) => {
        const cols = t.columns.map((c) => c.name);
        const stmt = db.prepare(`INSERT INTO [${t.name}] (${cols.map((c) => `[${c}]`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
        return [t.name, { cols, stmt }] as const;
      }),
    );
    let batch = 0;
    db.exec('BEGIN');
    for (const { table, row } of demoRows({ ...opts, now, seed })) {
      const ins = inserts.get(table)!;
      ins.stmt.run(ins.cols.map((c) => sqliteValue(row[c])));
      counts[table]!++;
      if (++batch >= 200_000) {
        db.exec('COMMIT');
        // Let a server that builds the demo at start-up keep answering meanwhile.
        await new Promise((r) => setImmediate(r));
        db.exec('BEGIN');
        batch = 0;
      }
    }
    db.exec('COMMIT');
    for (const sql of ddl.filter((s) => s.startsWith('CREATE INDEX'))) db.exec(sql);
    db.exec('ANALYZE');
    // Marks the file as a gatewatch demo: the simulator writes only to files that carry it.
    db.pragma(`application_id = ${F.DEMO_APPLICATION_ID}`);
    // WAL lets the simulator write while the server reads; the mode is stored in the file itself.
    db.pragma('journal_mode = WAL');
    db.close();
  } catch (e) {
    db.close();
    rmSync(tmp, { force: true });
    throw e;
  }
  // A -wal or -shm left by an earlier file would be replayed onto this one.
  for (const f of [`${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  renameSync(tmp, path);
  const managed = opts.computers ?? 5000;
  return { path, seed, now, computers: managed, unmanaged: counts.vComputer! - managed, rows: counts, ms: Date.now() - started };
}

/** SQLite has no boolean or date type: 1/0 and full ISO-8601 UTC text, which sorts as time does. */
export function sqliteValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return v ?? null;
}

export function* demoRows(opts: DemoOptions = {}): Generator<DemoRow> {
  const rng = new Rng(opts.seed ?? 1);
  const now = opts.now ?? defaultNow();
  const tally: Tally = { current: F.GATEWAYS.map(() => 0), brokerSum: [], serial: new Map(), sample: [] };
  yield* gatewayRows(rng.fork('gateways'), tally);
  yield* computerRows(rng.fork('computers'), opts.computers ?? 5000, now, tally, opts.onProgress);
  yield* connectionRows(rng.fork('connections'), tally);
  yield* relayRows(rng.fork('relays'), now);
  yield* accessRequestRows(rng.fork('access'), now, tally);
  yield* denialRows(rng.fork('denials'), now, tally);
  yield* messageRows(rng.fork('messages'), now, tally);
}

function* gatewayRows(rng: Rng, tally: Tally): Generator<DemoRow> {
  for (const g of F.GATEWAYS) {
    yield { table: 'gatewatch_Gateway', row: { Name: g.name, Port: g.port, Version: g.version, Online: true, Registered: true, TroubleshootingMode: g.troubleshootingMode, EphemeralAuthEnabled: true, AuthFailures: rng.int(0, 40) } };
    let sum = 0;
    for (const core of F.CORES) {
      const n = rng.int(F.MIN_BROKER_CONNECTIONS, F.MAX_BROKER_CONNECTIONS);
      sum += n;
      yield { table: 'gatewatch_BrokerConnection', row: { Gateway: g.name, Core: core, Connections: n } };
    }
    tally.brokerSum.push(sum);
  }
}

function* computerRows(rng: Rng, managed: number, now: Date, tally: Tally, onProgress?: (done: number, total: number) => void): Generator<DemoRow> {
  const total = managed + Math.round(managed * 0.03);
  let unmanagedLeft = total - managed;
  const siteWeights = F.SITES.map((s) => [s, s.weight] as const);
  let seen = 0;
  for (let i = 0; i < total; i++) {
    // Exactly `unmanagedLeft` of the remaining computers are unmanaged, spread through the estate.
    const isManaged = !rng.chance(unmanagedLeft / (total - i));
    if (!isManaged) unmanagedLeft--;
    const site = rng.weighted(siteWeights);
    const laptop = rng.chance(0.45);
    const serial = (tally.serial.get(site.code) ?? 1000) + rng.int(1, 3);
    tally.serial.set(site.code, serial);
    const name = `${laptop ? 'LT' : 'WS'}-${site.code}-${String(serial).padStart(6, '0')}`;
    const guid = rng.guid();
    const ip = `10.${site.net}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    const domain = !isManaged && rng.chance(0.3) ? null : site.domain;
    yield { table: 'vComputer', row: { Guid: guid, Name: name, Domain: domain, 'IP Address': ip, IsManaged: isManaged } };
    if (isManaged) {
      yield* agentRows(rng, guid, site, laptop, now, tally);
      seen++;
      if (tally.sample.length < SAMPLE_SIZE) tally.sample.push({ name, guid, site: site.code });
      else if (rng.chance(SAMPLE_SIZE / seen)) tally.sample[rng.int(0, SAMPLE_SIZE - 1)] = { name, guid, site: site.code };
    }
    if ((i + 1) % PROGRESS_EVERY === 0) onProgress?.(i + 1, total);
  }
  onProgress?.(total, total);
}

function* agentRows(rng: Rng, guid: string, site: F.SiteDef, laptop: boolean, now: Date, tally: Tally): Generator<DemoRow> {
  const cem = rng.chance(0.92);
  // Laptops roam; desktops are on the Internet only from home offices. About 25% overall.
  const onInternet = cem && rng.chance(laptop ? 0.45 : 0.13);
  const policies = cem ? (rng.chance(0.95) ? rng.int(1, 3) : 0) : rng.chance(0.97) ? 0 : 1;
  const https = rng.chance(0.96);
  const tls = https ? (rng.chance(0.6) ? '1.2' : '1.3') : null;
  yield { table: 'Inv_AeX_AC_Network_Zone', row: { _ResourceGuid: guid, IsOnInternet: onInternet, InternetModeSupported: cem, AppliedPolicyCount: policies, HTTPSMode: https, TLS: tls } };

  if (cem && (onInternet || rng.chance(0.85))) {
    const others = F.GATEWAYS.map((_, k) => k).filter((k) => k !== site.home);
    if (rng.chance(0.5)) others.reverse();
    const order = [site.home, ...others].slice(0, rng.weighted([[1, 60], [2, 30], [3, 10]] as const));
    const currentAt = onInternet ? (rng.chance(0.9) ? 0 : rng.int(0, order.length - 1)) : -1;
    for (const [j, k] of order.entries()) {
      const current = j === currentAt;
      if (current) tally.current[k]!++;
      const last = current ? ago(now, rng.int(0, 55 * MIN)) : rng.chance(0.3) ? null : ago(now, rng.int(HOUR, 30 * DAY));
      yield { table: 'Inv_AeX_AC_InternetGatewayDetails', row: { _ResourceGuid: guid, Gateway: F.GATEWAYS[k]!.name, Port: F.GATEWAYS[k]!.port, Current: current, 'Last Success': last } };
    }
  }

  if (!rng.chance(0.04)) {
    const auth = rng.weighted([['permanent', 45], ['ephemeral', 30], ['both', 25]] as const);
    const until = auth === 'permanent' ? ahead(now, rng.int(200, 3 * 365) * DAY) : ahead(now, rng.int(5 * MIN, F.EPHEMERAL_LIFETIME_MS));
    yield { table: 'gatewatch_AgentAuth', row: { _ResourceGuid: guid, AuthType: auth, ValidUntil: until } };
  }
}

function* connectionRows(rng: Rng, tally: Tally): Generator<DemoRow> {
  for (const [k, g] of F.GATEWAYS.entries()) {
    const levels: Record<(typeof F.CONNECTION_LEVELS)[number], number> = {
      broker: tally.brokerSum[k]!,
      // Not every Internet agent holds a tunnel open at any one moment.
      client: Math.round(tally.current[k]! * rng.float(0.55, 0.75)),
      admin: rng.int(0, 2),
      console: rng.int(1, 4),
      unprivileged: rng.int(0, 12),
    };
    for (const level of F.CONNECTION_LEVELS) yield { table: 'gatewatch_GatewayConnection', row: { Gateway: g.name, Level: level, Connections: levels[level] } };
  }
}

function* relayRows(rng: Rng, now: Date): Generator<DemoRow> {
  for (const name of F.RELAYS) {
    const free = name === F.LOW_DISK_RELAY ? Math.round(1.4 * F.GIB) : rng.int(20, 400) * F.GIB + rng.int(0, F.GIB);
    const errors = name === 'RELAY-NYC-03' ? 3 : 0;
    yield { table: 'gatewatch_Relay', row: { Name: name, Online: true, LastPing: F.relayPingAt(name, now), CacheFolderValid: true, CacheFreeBytes: free, HttpServerErrors: errors, ClientsServed: rng.int(50, 600) } };
  }
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
    const gw = rng.weighted(F.GATEWAYS.map((g) => [g, g.troubleshootingMode ? 10 : 1] as const));
    // Requests from a gateway now out of Troubleshooting mode date from before it was switched off.
    const createdAt = ago(now, gw.troubleshootingMode ? rng.int(5 * MIN, 72 * HOUR) : rng.int(4 * DAY, 6 * DAY));
    const known = tally.sample.length > 0 && rng.chance(0.5) ? rng.pick(tally.sample) : undefined;
    const reason = rng.weighted([['registration_not_found', 65], ['time_skew', 12], ['version_mismatch', 8], ['gateway_not_registered', 5], ['blocked', 10]] as const);
    const status = reason === 'blocked' ? 'blocked' : rng.weighted([['pending', 65], ['approved', 25], ['blocked', 10]] as const);
    const agentName = known && !used.has(known.name) ? (used.add(known.name), known.name) : unknownAgent(rng, tally, used);
    return { AgentName: agentName, _ResourceGuid: known?.name === agentName ? known.guid : null, ReportedBy: gw.name, CreatedAt: createdAt, Status: status, Reason: reason };
  });
  yield* numbered('gatewatch_AccessRequest', rows, 'CreatedAt');
}

function* denialRows(rng: Rng, now: Date, tally: Tally): Generator<DemoRow> {
  const rows: Record<string, unknown>[] = [];
  for (const g of F.GATEWAYS) {
    for (let h = 0; h < 24; h++) {
      for (let n = rng.int(1, 4); n > 0; n--) {
        const reason = rng.weighted([['time_skew', 35], ['version_mismatch', 25], ['registration_not_found', 25], ['blocked', 10], ['gateway_not_registered', 5]] as const);
        const agent = tally.sample.length > 0 ? rng.pick(tally.sample).name : unknownAgent(rng, tally, new Set());
        rows.push({ Gateway: g.name, AgentName: agent, Reason: reason, DeniedAt: ago(now, h * HOUR + rng.int(0, HOUR - 1000)) });
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
  yield* numbered('gatewatch_AgentMessage', rows, 'RaisedAt');
}

/** Ids ascend with time, as an identity column filled as events happen would. */
function* numbered(table: string, rows: Record<string, unknown>[], timeColumn: string): Generator<DemoRow> {
  rows.sort((a, b) => (a[timeColumn] as Date).getTime() - (b[timeColumn] as Date).getTime());
  for (const [i, row] of rows.entries()) yield { table, row: { Id: i + 1, ...row } };
}
