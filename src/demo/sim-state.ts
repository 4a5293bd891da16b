// What the simulator keeps between ticks: the open demo file with its statement cache, and counters
// that would otherwise cost a full-table scan every tick (agents per gateway, rows, Internet share).
// The tick steps (sim-steps.ts) read and write only through here, so reloading after a rolled-back
// tick is one call to load().
import type Database from 'better-sqlite3';
import * as F from './fleet.js';
import type { Rng } from './rng.js';
import { HOUR } from './estate.js';
import { THRESHOLDS } from '../metrics/names.js';
import { SCENARIOS, type Scenario } from './diagnosis.js';

const OFFLINE = JSON.stringify(F.OFFLINE_GATEWAYS);
const NO_EPHEMERAL = JSON.stringify(F.EPHEMERAL_REFUSED);
/**
 * SQL (SQLite) true when the agent `guid` cannot get through its current gateway (fleet.ts `blocks`);
 * its two parameters are BLOCKED_PARAMS. Such an agent sends nothing: its inventory rows stay as they are.
 */
export const blockedSql = (guid: string) =>
  `EXISTS (SELECT 1 FROM Inv_AeX_AC_InternetGatewayDetails b WHERE b._ResourceGuid = ${guid} AND b.[Current] = 1 AND (b.Gateway IN (SELECT value FROM json_each(?))
    OR (b.Gateway IN (SELECT value FROM json_each(?)) AND EXISTS (SELECT 1 FROM gatewatch_AgentAuth a WHERE a._ResourceGuid = b._ResourceGuid AND a.AuthType = 'ephemeral'))))`;
export const BLOCKED_PARAMS = [OFFLINE, NO_EPHEMERAL] as const;

export interface TickReport {
  tick: number;
  at: Date;
  toInternet: number;
  toLan: number;
  lastSuccessRefreshed: number;
  brokerChanged: number;
  /** gateway/core pairs holding fewer than 5 broker connections after the tick. */
  brokerDegraded: string[];
  denials: number;
  rollbackDenials: number;
  accessRequests: number;
  relaysOffline: string[];
  relaysOnline: string[];
  relayPings: number;
  messagesPosted: number;
  messagesCleared: number;
  /** Agents that sent inventory (sim-liveness.ts), and how many of them had been silent. */
  reports: number;
  cameBack: number;
}

export interface Pair {
  gateway: string;
  core: string;
  n: number;
  degradedFor: number;
  pinned: boolean;
}

export const iso = (d: Date) => d.toISOString();

export class SimState {
  private readonly statements = new Map<string, Database.Statement>();
  pairs: Pair[] = [];
  /** Per gateway, the Internet agents that get through it (the ones it refuses are left out). */
  readonly onGateway = new Map<string, number>();
  readonly autoOffline = new Map<string, number>();
  zoneRows = 0;
  internet = 0;
  targetShare = 0;
  /** Managed computers, and the agents held silent (denied in a rollback) until a time (ms). */
  managed = 0;
  computerRows = 0;
  readonly held = new Map<string, number>();
  lastReportAt: number | undefined;
  lastRoamAt: number | undefined;
  /** The diagnosis scenario agents (diagnosis.ts) by GUID: no step but sim-planted.ts touches them. */
  readonly planted = new Map<string, Scenario>();
  plantedGuids = '[]';
  plantedNames = '[]';
  /** The liveness step's own stream (sim-liveness.ts): the other steps draw as they always did. */
  readonly live: Rng;

  constructor(readonly db: Database.Database, readonly rng: Rng, readonly interval: number) {
    this.live = rng.fork('liveness');
  }

  load(): void {
    this.onGateway.clear();
    this.pairs = this.all<{ Gateway: string; Core: string; Connections: number }>('SELECT Gateway, Core, Connections FROM gatewatch_BrokerConnection ORDER BY Gateway, Core').map((r) => ({ gateway: r.Gateway, core: r.Core, n: r.Connections, degradedFor: 0, pinned: F.plantedBroker(r.Gateway) }));
    // The agents that get through each gateway: the ones it refuses hold no tunnel open.
    const through = `SELECT Gateway, COUNT(*) AS n FROM Inv_AeX_AC_InternetGatewayDetails g WHERE [Current] = 1 AND NOT ${blockedSql('g._ResourceGuid')} GROUP BY Gateway`;
    for (const r of this.all<{ Gateway: string; n: number }>(through, ...BLOCKED_PARAMS)) this.onGateway.set(r.Gateway, r.n);
    this.zoneRows = this.one<number>('SELECT COUNT(*) FROM Inv_AeX_AC_Network_Zone');
    this.internet = this.one<number>('SELECT COUNT(*) FROM Inv_AeX_AC_Network_Zone WHERE IsOnInternet = 1');
    this.targetShare = this.zoneRows ? this.internet / this.zoneRows : 0;
    this.managed = this.one<number>('SELECT COUNT(*) FROM vComputer WHERE IsManaged = 1');
    this.computerRows = this.one<number | null>('SELECT MAX(rowid) FROM vComputer') ?? 0;
    const planted = this.all<{ Guid: string; Name: string }>('SELECT Guid, Name FROM vComputer WHERE IsManaged = 1 ORDER BY rowid LIMIT ?', SCENARIOS.length);
    this.planted.clear();
    for (const [i, p] of planted.entries()) this.planted.set(p.Guid, SCENARIOS[i]!);
    this.plantedGuids = JSON.stringify(planted.map((p) => p.Guid));
    this.plantedNames = JSON.stringify(planted.map((p) => p.Name));
  }

  /**
   * The agent got through its gateway at `at`: its last success there moves up, and an ephemeral
   * certificate near its end is made anew (agents renew their own). Returns the gateway rows changed.
   */
  connected(guid: string, at: Date): number {
    const n = this.run('UPDATE Inv_AeX_AC_InternetGatewayDetails SET [Last Success] = ? WHERE _ResourceGuid = ? AND [Current] = 1 AND ([Last Success] IS NULL OR [Last Success] < ?)', iso(at), guid, iso(at));
    const renew = new Date(at.getTime() + F.EPHEMERAL_LIFETIME_MS);
    this.run(`UPDATE gatewatch_AgentAuth SET ValidUntil = ? WHERE _ResourceGuid = ? AND AuthType <> 'permanent' AND (ValidUntil IS NULL OR ValidUntil < ?)`, iso(renew), guid, iso(new Date(at.getTime() + F.EPHEMERAL_LIFETIME_MS / 2)));
    return n;
  }

  /** Whether the agent is held silent (denied in a rollback) at `now`. */
  isHeld(guid: string, now: Date): boolean {
    return (this.held.get(guid) ?? 0) > now.getTime();
  }

  /** An agent the gateway denies cannot report until an administrator approves it: 1 to 24 hours here. */
  hold(guid: string, now: Date): void {
    this.held.set(guid, now.getTime() + this.live.int(1, 24) * HOUR);
  }

  post(kind: F.MessageKind, computer: string, subject: string, at: Date): void {
    const id = this.one<number>('SELECT COALESCE(MAX(Id), 0) + 1 FROM gatewatch_AgentMessage');
    this.run('INSERT INTO gatewatch_AgentMessage (Id, MessageTypeId, Component, Priority, Type, Computer, Text, RaisedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', id, kind.id, kind.component, kind.priority, kind.type, computer, kind.text(subject), iso(at));
  }

  deny(gateway: string, agent: string, reason: F.DenialReason, at: Date): void {
    const id = this.one<number>('SELECT COALESCE(MAX(Id), 0) + 1 FROM gatewatch_Denial');
    this.run('INSERT INTO gatewatch_Denial (Id, Gateway, AgentName, Reason, DeniedAt) VALUES (?, ?, ?, ?, ?)', id, gateway, agent, reason, iso(at));
  }

  syncBrokerLevel(): void {
    this.run(`UPDATE gatewatch_GatewayConnection SET Connections = (SELECT COALESCE(SUM(b.Connections), 0) FROM gatewatch_BrokerConnection b WHERE b.Gateway = gatewatch_GatewayConnection.Gateway) WHERE Level = 'broker'`);
  }

  bump(gateway: string, by: number): void {
    this.onGateway.set(gateway, Math.max(0, (this.onGateway.get(gateway) ?? 0) + by));
  }

  /**
   * A random CEM-capable agent on the Internet (1) or the LAN (0). GUIDs are uniformly random, so
   * seeking the primary key from a random GUID picks a random row; wrap to the start once.
   */
  probeZone(onInternet: 0 | 1, now: Date): string | undefined {
    // Never a planted agent, a silent one, or one its gateway refuses: none of them could tell the
    // CMDB it moved or got through (a silent agent's last success is its last report).
    const sql = `SELECT _ResourceGuid AS g FROM Inv_AeX_AC_Network_Zone nz WHERE _ResourceGuid >= ? AND IsOnInternet = ? AND InternetModeSupported = 1
      AND _ResourceGuid NOT IN (SELECT value FROM json_each(?)) AND NOT ${blockedSql('nz._ResourceGuid')}
      AND EXISTS (SELECT 1 FROM ResourceUpdateSummary r WHERE r.ResourceGuid = nz._ResourceGuid AND r.ModifiedDate >= ?) ORDER BY _ResourceGuid LIMIT 1`;
    const since = iso(new Date(now.getTime() - THRESHOLDS.reportingLateAfterHours * HOUR));
    const get = (from: string) => this.one<string | undefined>(sql, from, onInternet, this.plantedGuids, ...BLOCKED_PARAMS, since);
    return get(this.rng.guid()) ?? get('');
  }

  /** A random managed computer, never a planted one. */
  probeComputer(): { Guid: string; Name: string } | undefined {
    const sql = 'SELECT Guid, Name FROM vComputer WHERE Guid >= ? AND IsManaged = 1 AND Guid NOT IN (SELECT value FROM json_each(?)) ORDER BY Guid LIMIT 1';
    const get = (from: string) => this.stmt(sql).pluck(false).get(from, this.plantedGuids) as { Guid: string; Name: string } | undefined;
    return get(this.rng.guid()) ?? get('');
  }

  within(now: Date): Date {
    return new Date(now.getTime() - this.rng.int(0, this.interval - 1));
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  run(sql: string, ...params: unknown[]): number {
    return this.stmt(sql).run(...params).changes;
  }

  one<T>(sql: string, ...params: unknown[]): T {
    return this.stmt(sql).pluck(true).get(...params) as T;
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.stmt(sql).pluck(false).all(...params) as T[];
  }
}
