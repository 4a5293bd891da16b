// The live demo: mutates the demo inventory every few seconds so dashboards move and alerts fire:
// agents roam between LAN and Internet, broker connections wobble (and now and then drop below 5),
// a CMDB rollback floods one gateway with registration_not_found denials, a relay goes dark.
// Each tick is one transaction, so a reader never sees half a tick; a failing tick is logged and
// skipped, never thrown out of the timer, because the server must outlive its demo.
import Database from 'better-sqlite3';
import * as F from './fleet.js';
import { Rng } from './rng.js';

export interface SimulatorOptions {
  seed?: number;
  intervalMs?: number;
  /** A CMDB-rollback burst every this many ticks (0: never). */
  rollbackEveryTicks?: number;
  log?: (line: string) => void;
}

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
  pruned: number;
}

interface Pair {
  gateway: string;
  core: string;
  n: number;
  degradedFor: number;
  pinned: boolean;
}

const MIN = 60_000;
const RETENTION_MS = 7 * 24 * 60 * MIN;
const RELAY_KINDS = [F.MESSAGES.updateViaRelay, F.MESSAGES.patchViaRelay] as const;
// Above 100,000 agents the 0.5-1% per tick is capped: a tick of a million-computer estate then
// blocks the event loop ~120 ms instead of ~400.
const MAX_MOVES = 1000;

export class DemoSimulator {
  private conn: Database.Database | undefined;
  private closed = false;
  private stale = false;
  private readonly rng: Rng;
  private readonly interval: number;
  private readonly rollbackEvery: number;
  private readonly log: (line: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private lastError = '';
  private readonly statements = new Map<string, Database.Statement>();
  private pairs: Pair[] = [];
  private readonly onGateway = new Map<string, number>();
  private readonly autoOffline = new Map<string, number>();
  private zoneRows = 0;
  private computerRows = 0;
  private internet = 0;
  private targetShare = 0;

  constructor(readonly path: string, opts: SimulatorOptions = {}) {
    this.rng = new Rng(opts.seed ?? 1).fork('simulator');
    this.interval = opts.intervalMs ?? 5000;
    this.rollbackEvery = opts.rollbackEveryTicks ?? 60;
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /**
   * Opened on first use, not in the constructor: a missing or foreign file is then a failing tick,
   * logged and retried, not an exception in the server's start-up.
   */
  private get db(): Database.Database {
    if (this.closed) throw new Error('the simulator is closed');
    if (this.conn && this.stale) this.load();
    if (this.conn) return this.conn;
    const db = new Database(this.path, { fileMustExist: true, timeout: 2000 });
    try {
      if (db.pragma('application_id', { simple: true }) !== F.DEMO_APPLICATION_ID) {
        throw new Error(`${this.path} is not a gatewatch demo inventory (made by \`gatewatch demo\`): the simulator leaves it alone`);
      }
      db.pragma('journal_mode = WAL');
      this.conn = db;
      this.load();
      return db;
    } catch (e) {
      this.conn = undefined;
      this.statements.clear();
      db.close();
      throw e;
    }
  }

  private load(): void {
    this.stale = false;
    this.onGateway.clear();
    this.pairs = this.all<{ Gateway: string; Core: string; Connections: number }>('SELECT Gateway, Core, Connections FROM gatewatch_BrokerConnection ORDER BY Gateway, Core').map((r) => ({ gateway: r.Gateway, core: r.Core, n: r.Connections, degradedFor: 0, pinned: false }));
    for (const r of this.all<{ Gateway: string; n: number }>('SELECT Gateway, COUNT(*) AS n FROM Inv_AeX_AC_InternetGatewayDetails WHERE [Current] = 1 GROUP BY Gateway')) this.onGateway.set(r.Gateway, r.n);
    this.zoneRows = this.one<number>('SELECT COALESCE(MAX(rowid), 0) FROM Inv_AeX_AC_Network_Zone');
    this.computerRows = this.one<number>('SELECT COALESCE(MAX(rowid), 0) FROM vComputer');
    this.internet = this.one<number>('SELECT COUNT(*) FROM Inv_AeX_AC_Network_Zone WHERE IsOnInternet = 1');
    this.targetShare = this.zoneRows ? this.internet / this.zoneRows : 0;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      try {
        const r = this.tick();
        if (r.rollbackDenials || r.relaysOffline.length || r.relaysOnline.length) this.log(describe(r));
        this.lastError = '';
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        // One line per distinct failure: a deleted file would otherwise log every few seconds.
        if (message !== this.lastError) this.log(`tick failed (will retry): ${message}`);
        this.lastError = message;
      }
    }, this.interval);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    this.closed = true;
    if (this.conn?.open) this.conn.close();
  }

  tick(now: Date = new Date()): TickReport {
    try {
      return this.tickTransaction(now);
    } catch (e) {
      // The rollback undid the tick in the file, not in the counters kept here: re-read them.
      this.stale = true;
      throw e;
    }
  }

  private tickTransaction(now: Date): TickReport {
    return this.db.transaction(() => {
      const r: TickReport = { tick: ++this.ticks, at: now, toInternet: 0, toLan: 0, lastSuccessRefreshed: 0, brokerChanged: 0, brokerDegraded: [], denials: 0, rollbackDenials: 0, accessRequests: 0, relaysOffline: [], relaysOnline: [], relayPings: 0, messagesPosted: 0, messagesCleared: 0, pruned: 0 };
      this.roam(now, r);
      this.jitterConnections(r);
      this.trickle(now, r);
      if (this.rollbackEvery > 0 && this.ticks % this.rollbackEvery === 0) Object.assign(r, this.burst({ now }));
      this.relays(now, r);
      this.messages(now, r);
      if (this.ticks % 60 === 1) r.pruned = this.run('DELETE FROM gatewatch_Denial WHERE DeniedAt < ?', iso(new Date(now.getTime() - RETENTION_MS)));
      return r;
    })();
  }

  /** A CMDB rollback seen from one gateway: its registration_not_found denials; returns how many. */
  rollbackBurst(opts: { gateway?: string; agents?: number; now?: Date } = {}): number {
    return this.db.transaction(() => this.burst(opts).rollbackDenials)();
  }

  setRelayOnline(relay: string, online: boolean, now: Date = new Date()): void {
    this.db.transaction(() => {
      if (!this.one<number>('SELECT COUNT(*) FROM gatewatch_Relay WHERE Name = ?', relay)) throw new Error(`unknown relay ${relay}`);
      this.autoOffline.delete(relay);
      const kind = F.MESSAGES.relayOffline;
      if (online) {
        this.run('UPDATE gatewatch_Relay SET Online = 1, LastPing = ? WHERE Name = ?', iso(now), relay);
        this.run('DELETE FROM gatewatch_AgentMessage WHERE Computer = ? AND MessageTypeId = ?', relay, kind.id);
        // The agents that could not reach it stop complaining once AgentManager clears their messages.
        this.run(`DELETE FROM gatewatch_AgentMessage WHERE MessageTypeId IN (?, ?) AND Text LIKE ?`, RELAY_KINDS[0].id, RELAY_KINDS[1].id, `%Relay ${relay}:%`);
      } else {
        this.run('UPDATE gatewatch_Relay SET Online = 0 WHERE Name = ?', relay);
        if (!this.one<number>('SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Computer = ? AND MessageTypeId = ?', relay, kind.id)) this.post(kind, relay, relay, now);
      }
    })();
  }

  /** Sets one core's broker connections to a gateway and holds them there (no more jitter). */
  setBrokerConnections(gateway: string, core: string, n: number): void {
    const db = this.db; // loads the pairs
    const pair = this.pairs.find((p) => p.gateway === gateway && p.core === core);
    if (!pair) throw new Error(`no broker connections from ${core} to ${gateway}`);
    Object.assign(pair, { n, pinned: true, degradedFor: 0 });
    db.transaction(() => {
      this.run('UPDATE gatewatch_BrokerConnection SET Connections = ? WHERE Gateway = ? AND Core = ?', n, gateway, core);
      this.syncBrokerLevel();
    })();
  }

  private roam(now: Date, r: TickReport): void {
    const moves = Math.min(MAX_MOVES, Math.max(1, Math.round(this.zoneRows * this.rng.float(0.005, 0.01))));
    for (let i = 0; i < moves && this.zoneRows > 0; i++) {
      // Pull the Internet share back towards where the estate started, or it random-walks away.
      const share = this.internet / this.zoneRows;
      const toInternet = this.rng.chance(Math.min(0.9, Math.max(0.1, 0.5 + (this.targetShare - share) * 10)));
      const guid = this.probeZone(toInternet ? 0 : 1);
      if (!guid) continue;
      const rows = this.all<{ Gateway: string; Port: number; cur: number; last: string | null }>('SELECT Gateway, Port, [Current] AS cur, [Last Success] AS last FROM Inv_AeX_AC_InternetGatewayDetails WHERE _ResourceGuid = ? ORDER BY Gateway', guid);
      for (const row of rows.filter((x) => x.cur === 1)) this.bump(row.Gateway, -1);
      this.run('UPDATE Inv_AeX_AC_InternetGatewayDetails SET [Current] = 0 WHERE _ResourceGuid = ? AND [Current] = 1', guid);
      this.run('UPDATE Inv_AeX_AC_Network_Zone SET IsOnInternet = ? WHERE _ResourceGuid = ?', toInternet ? 1 : 0, guid);
      if (toInternet) {
        const latest = [...rows].sort((a, b) => (b.last ?? '').localeCompare(a.last ?? ''))[0];
        const gw = latest && !this.rng.chance(0.2) ? latest.Gateway : this.rng.pick(F.GATEWAYS).name;
        if (rows.some((x) => x.Gateway === gw)) this.run('UPDATE Inv_AeX_AC_InternetGatewayDetails SET [Current] = 1, [Last Success] = ? WHERE _ResourceGuid = ? AND Gateway = ?', iso(now), guid, gw);
        else this.run('INSERT INTO Inv_AeX_AC_InternetGatewayDetails (_ResourceGuid, Gateway, Port, [Current], [Last Success]) VALUES (?, ?, ?, 1, ?)', guid, gw, F.GATEWAYS.find((g) => g.name === gw)?.port ?? 443, iso(now));
        this.bump(gw, 1);
      }
      this.internet += toInternet ? 1 : -1;
      if (toInternet) r.toInternet++;
      else r.toLan++;
    }
    const refresh = Math.min(MAX_MOVES, Math.round(this.internet * this.rng.float(0.02, 0.05)));
    for (let i = 0; i < refresh; i++) {
      const guid = this.probeZone(1);
      if (guid) r.lastSuccessRefreshed += this.run('UPDATE Inv_AeX_AC_InternetGatewayDetails SET [Last Success] = ? WHERE _ResourceGuid = ? AND [Current] = 1', iso(new Date(now.getTime() - this.rng.int(0, this.interval))), guid);
    }
  }

  private jitterConnections(r: TickReport): void {
    if (!this.pairs.some((p) => p.degradedFor > 0) && this.rng.chance(1 / 240)) {
      const free = this.pairs.filter((p) => !p.pinned);
      if (free.length) Object.assign(this.rng.pick(free), { degradedFor: this.rng.int(3, 12), n: this.rng.int(1, 4) });
    }
    for (const p of this.pairs) {
      if (p.pinned) continue;
      const before = p.n;
      if (p.degradedFor > 0 && --p.degradedFor === 0) p.n = this.rng.int(F.MIN_BROKER_CONNECTIONS, F.MAX_BROKER_CONNECTIONS);
      else if (p.degradedFor === 0) p.n = Math.min(F.MAX_BROKER_CONNECTIONS, Math.max(F.MIN_BROKER_CONNECTIONS, p.n + this.rng.int(-1, 1)));
      if (p.n !== before || p.degradedFor > 0) r.brokerChanged += this.run('UPDATE gatewatch_BrokerConnection SET Connections = ? WHERE Gateway = ? AND Core = ? AND Connections <> ?', p.n, p.gateway, p.core, p.n);
    }
    r.brokerDegraded = this.pairs.filter((p) => p.n < F.MIN_BROKER_CONNECTIONS).map((p) => `${p.gateway}/${p.core}`);
    this.syncBrokerLevel();
    for (const g of F.GATEWAYS) {
      // Not every agent on the Internet holds a tunnel open at any one moment.
      this.run(`UPDATE gatewatch_GatewayConnection SET Connections = ? WHERE Gateway = ? AND Level = 'client'`, Math.round((this.onGateway.get(g.name) ?? 0) * this.rng.float(0.55, 0.75)), g.name);
      if (this.rng.chance(0.25)) this.run('UPDATE gatewatch_Gateway SET AuthFailures = AuthFailures + ? WHERE Name = ?', this.rng.int(1, 2), g.name);
    }
  }

  private trickle(now: Date, r: TickReport): void {
    for (let n = this.rng.int(0, 2); n > 0; n--) {
      const agent = this.probeComputer();
      this.deny(this.rng.pick(F.GATEWAYS).name, agent?.Name ?? 'UNKNOWN', this.rng.pick(['time_skew', 'version_mismatch'] as const), this.within(now));
      r.denials++;
    }
  }

  private burst(opts: { gateway?: string; agents?: number; now?: Date }): { rollbackDenials: number; accessRequests: number } {
    const now = opts.now ?? new Date();
    const gateways = this.all<{ Name: string; TroubleshootingMode: number }>('SELECT Name, TroubleshootingMode FROM gatewatch_Gateway ORDER BY Name');
    const gw = opts.gateway ? gateways.find((g) => g.Name === opts.gateway) : this.rng.pick(gateways);
    if (!gw) throw new Error(`unknown gateway ${opts.gateway}`);
    const agents = opts.agents ?? this.rng.int(30, 80);
    let requests = 0;
    for (let i = 0; i < agents; i++) {
      // Mostly agents registered after the backup the CMDB went back to: unknown to it, no GUID.
      const known = this.rng.chance(0.35) ? this.probeComputer() : undefined;
      const name = known?.Name ?? `LT-${this.rng.pick(F.SITES).code}-${this.rng.int(100000, 999999)}`;
      const at = this.within(now);
      this.deny(gw.Name, name, 'registration_not_found', at);
      // Only a gateway in Troubleshooting mode reports whom it denied (seed 001).
      if (gw.TroubleshootingMode === 1 && !this.one<number>(`SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE AgentName = ? AND Status = 'pending'`, name)) {
        const guid = known?.Guid ?? this.one<string | undefined>('SELECT Guid FROM vComputer WHERE Name = ?', name) ?? null;
        const id = this.one<number>('SELECT COALESCE(MAX(Id), 0) + 1 FROM gatewatch_AccessRequest');
        this.run(`INSERT INTO gatewatch_AccessRequest (Id, AgentName, _ResourceGuid, ReportedBy, CreatedAt, Status, Reason) VALUES (?, ?, ?, ?, ?, 'pending', 'registration_not_found')`, id, name, guid, gw.Name, iso(at));
        requests++;
      }
    }
    this.run('UPDATE gatewatch_Gateway SET AuthFailures = AuthFailures + ? WHERE Name = ?', agents, gw.Name);
    return { rollbackDenials: agents, accessRequests: requests };
  }

  private relays(now: Date, r: TickReport): void {
    for (const [relay, left] of [...this.autoOffline]) {
      if (left > 1) {
        this.autoOffline.set(relay, left - 1);
      } else {
        this.setRelayOnline(relay, true, now);
        r.relaysOnline.push(relay);
      }
    }
    const relays = this.all<{ Name: string; Online: number }>('SELECT Name, Online FROM gatewatch_Relay ORDER BY Name');
    const online = relays.filter((x) => x.Online === 1).map((x) => x.Name);
    if (this.autoOffline.size === 0 && online.length > 0 && this.rng.chance(1 / 180)) {
      const relay = this.rng.pick(online);
      this.setRelayOnline(relay, false, now);
      this.autoOffline.set(relay, this.rng.int(24, 120));
      r.relaysOffline.push(relay);
    }
    for (const relay of online) {
      const ping = iso(F.relayPingAt(relay, now));
      r.relayPings += this.run('UPDATE gatewatch_Relay SET LastPing = ? WHERE Name = ? AND Online = 1 AND (LastPing IS NULL OR LastPing < ?)', ping, relay, ping);
    }
  }

  private messages(now: Date, r: TickReport): void {
    const down = this.all<{ Name: string }>('SELECT Name FROM gatewatch_Relay WHERE Online = 0 ORDER BY Name').map((x) => x.Name);
    // Agents behind a dead relay fail their downloads; otherwise the odd failure comes and goes.
    for (let n = down.length ? this.rng.int(1, 3) : this.rng.chance(0.2) ? 1 : 0; n > 0; n--) {
      const agent = this.probeComputer();
      if (!agent) break;
      const relay = down.length ? this.rng.pick(down) : this.rng.pick(F.RELAYS);
      this.post(this.rng.pick(RELAY_KINDS), agent.Name, relay, now);
      r.messagesPosted++;
    }
    if (this.rng.chance(0.2)) r.messagesCleared += this.run('DELETE FROM gatewatch_AgentMessage WHERE Id = (SELECT MIN(Id) FROM gatewatch_AgentMessage WHERE MessageTypeId IN (?, ?, ?))', RELAY_KINDS[0].id, RELAY_KINDS[1].id, F.MESSAGES.updateSlow.id);
  }

  private post(kind: F.MessageKind, computer: string, subject: string, at: Date): void {
    const id = this.one<number>('SELECT COALESCE(MAX(Id), 0) + 1 FROM gatewatch_AgentMessage');
    this.run('INSERT INTO gatewatch_AgentMessage (Id, MessageTypeId, Component, Priority, Type, Computer, Text, RaisedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', id, kind.id, kind.component, kind.priority, kind.type, computer, kind.text(subject), iso(at));
  }

  private deny(gateway: string, agent: string, reason: F.DenialReason, at: Date): void {
    const id = this.one<number>('SELECT COALESCE(MAX(Id), 0) + 1 FROM gatewatch_Denial');
    this.run('INSERT INTO gatewatch_Denial (Id, Gateway, AgentName, Reason, DeniedAt) VALUES (?, ?, ?, ?, ?)', id, gateway, agent, reason, iso(at));
  }

  private syncBrokerLevel(): void {
    this.run(`UPDATE gatewatch_GatewayConnection SET Connections = (SELECT COALESCE(SUM(b.Connections), 0) FROM gatewatch_BrokerConnection b WHERE b.Gateway = gatewatch_GatewayConnection.Gateway) WHERE Level = 'broker'`);
  }

  private bump(gateway: string, by: number): void {
    this.onGateway.set(gateway, Math.max(0, (this.onGateway.get(gateway) ?? 0) + by));
  }

  /** A random CEM-capable agent on the Internet (1) or the LAN (0): seek from a random rowid, wrap once. */
  private probeZone(onInternet: 0 | 1): string | undefined {
    const sql = 'SELECT _ResourceGuid AS g FROM Inv_AeX_AC_Network_Zone WHERE rowid >= ? AND IsOnInternet = ? AND InternetModeSupported = 1 ORDER BY rowid LIMIT 1';
    return this.one<string | undefined>(sql, this.rng.int(1, this.zoneRows), onInternet) ?? this.one<string | undefined>(sql, 1, onInternet);
  }

  private probeComputer(): { Guid: string; Name: string } | undefined {
    const sql = 'SELECT Guid, Name FROM vComputer WHERE rowid >= ? AND IsManaged = 1 ORDER BY rowid LIMIT 1';
    const get = (from: number) => this.stmt(sql).pluck(false).get(from) as { Guid: string; Name: string } | undefined;
    return get(this.rng.int(1, Math.max(1, this.computerRows))) ?? get(1);
  }

  private within(now: Date): Date {
    return new Date(now.getTime() - this.rng.int(0, this.interval - 1));
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private run(sql: string, ...params: unknown[]): number {
    return this.stmt(sql).run(...params).changes;
  }

  private one<T>(sql: string, ...params: unknown[]): T {
    return this.stmt(sql).pluck(true).get(...params) as T;
  }

  private all<T>(sql: string, ...params: unknown[]): T[] {
    return this.stmt(sql).pluck(false).all(...params) as T[];
  }
}

const iso = (d: Date) => d.toISOString();

function describe(r: TickReport): string {
  const parts = [`tick ${r.tick}`];
  if (r.rollbackDenials) parts.push(`CMDB rollback: ${r.rollbackDenials} registration_not_found denials, ${r.accessRequests} access requests`);
  if (r.relaysOffline.length) parts.push(`relay offline: ${r.relaysOffline.join(', ')}`);
  if (r.relaysOnline.length) parts.push(`relay back online: ${r.relaysOnline.join(', ')}`);
  return parts.join('; ');
}
