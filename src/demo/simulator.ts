// The live demo: mutates the demo inventory every few seconds so dashboards move and alerts fire:
// agents roam between LAN and Internet, broker connections wobble (and now and then drop below 5),
// a CMDB rollback floods one gateway with registration_not_found denials, a relay goes dark. The
// planted diagnosis agents and the planted problems of gateways and relays never change.
// Each tick is one transaction, so a reader never sees half a tick; a failing tick is logged and
// skipped, never thrown out of the timer, because the server must outlive its demo.
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import * as F from './fleet.js';
import { Rng } from './rng.js';
import { iso, SimState, type TickReport } from './sim-state.js';
import * as step from './sim-steps.js';
import { report } from './sim-liveness.js';
import { keepPlanted } from './sim-planted.js';

export interface SimulatorOptions {
  seed?: number;
  intervalMs?: number;
  /** A CMDB-rollback burst every this many ticks (0: never). */
  rollbackEveryTicks?: number;
  log?: (line: string) => void;
}


export class DemoSimulator {
  private state: SimState | undefined;
  private closed = false;
  private stale = false;
  private readonly rng: Rng;
  private readonly interval: number;
  private readonly rollbackEvery: number;
  private readonly log: (line: string) => void;
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private lastError = '';
  /** The file the open handle belongs to: a replaced or removed demo file must not be written on. */
  private opened: { dev: number; ino: number } | undefined;

  constructor(readonly path: string, opts: SimulatorOptions = {}) {
    this.rng = new Rng(opts.seed ?? 1).fork('simulator');
    this.interval = opts.intervalMs ?? 5000;
    this.rollbackEvery = opts.rollbackEveryTicks ?? 60;
    this.log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /**
   * Opened on first use, not in the constructor: a missing or foreign file is then a failing tick,
   * logged and retried, not an exception in the server's start-up. The path is looked at on every
   * use, as the SQLite workers do: an open handle would go on writing to a file that `gatewatch demo`
   * replaced or someone removed, changing nothing anyone reads.
   */
  private get sim(): SimState {
    if (this.closed) throw new Error('the simulator is closed');
    const st = statSync(this.path, { throwIfNoEntry: false });
    if (this.state && (!st || st.ino !== this.opened?.ino || st.dev !== this.opened?.dev)) {
      this.drop();
      if (st) this.log(`${this.path} was replaced: reopening it`);
    }
    if (!st) throw new Error(`${this.path} does not exist (removed?): nothing to simulate until it is back`);
    if (this.state && this.stale) {
      this.stale = false;
      this.state.load();
    }
    if (this.state) return this.state;
    const db = new Database(this.path, { fileMustExist: true, timeout: 2000 });
    try {
      if (db.pragma('application_id', { simple: true }) !== F.DEMO_APPLICATION_ID) {
        throw new Error(`${this.path} is not a gatewatch demo inventory (made by \`gatewatch demo\`): the simulator leaves it alone`);
      }
      db.pragma('journal_mode = WAL');
      this.stale = false;
      const state = new SimState(db, this.rng, this.interval);
      state.load();
      this.state = state;
      this.opened = { dev: st.dev, ino: st.ino };
      return state;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Forgets the open file; the next use opens the path again and re-reads its state. */
  private drop(): void {
    if (this.state?.db.open) this.state.db.close();
    this.state = undefined;
    this.opened = undefined;
  }

  private get db(): Database.Database {
    return this.sim.db;
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
    this.drop();
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
    const s = this.sim; // once, outside the transaction: it may reopen the file
    return s.db.transaction(() => {
      const r: TickReport = { tick: ++this.ticks, at: now, toInternet: 0, toLan: 0, lastSuccessRefreshed: 0, brokerChanged: 0, brokerDegraded: [], denials: 0, rollbackDenials: 0, accessRequests: 0, relaysOffline: [], relaysOnline: [], relayPings: 0, messagesPosted: 0, messagesCleared: 0, reports: 0, cameBack: 0 };
      step.roam(s, now, r);
      step.jitterConnections(s, r);
      step.trickle(s, now, r);
      if (this.rollbackEvery > 0 && this.ticks % this.rollbackEvery === 0) Object.assign(r, step.burst(s, { now }));
      step.relays(s, now, r);
      step.messages(s, now, r);
      report(s, now, r);
      keepPlanted(s, now);
      return r;
    })();
  }

  /** A CMDB rollback seen from one gateway: its registration_not_found denials; returns how many. */
  rollbackBurst(opts: { gateway?: string; agents?: number; now?: Date } = {}): number {
    const s = this.sim;
    return s.db.transaction(() => step.burst(s, opts).rollbackDenials)();
  }

  setRelayOnline(relay: string, online: boolean, now: Date = new Date()): void {
    step.setRelayOnline(this.sim, relay, online, now);
  }

  /** Sets one core's broker connections to a gateway and holds them there (no more jitter). */
  setBrokerConnections(gateway: string, core: string, n: number): void {
    const s = this.sim; // loads the pairs
    const pair = s.pairs.find((p) => p.gateway === gateway && p.core === core);
    if (!pair) throw new Error(`no broker connections from ${core} to ${gateway}`);
    Object.assign(pair, { n, pinned: true, degradedFor: 0 });
    s.db.transaction(() => {
      s.run('UPDATE gatewatch_BrokerConnection SET Connections = ? WHERE Gateway = ? AND Core = ?', n, gateway, core);
      s.syncBrokerLevel();
    })();
  }
}

function describe(r: TickReport): string {
  const parts = [`tick ${r.tick}`];
  if (r.rollbackDenials) parts.push(`CMDB rollback: ${r.rollbackDenials} registration_not_found denials, ${r.accessRequests} access requests`);
  if (r.relaysOffline.length) parts.push(`relay offline: ${r.relaysOffline.join(', ')}`);
  if (r.relaysOnline.length) parts.push(`relay back online: ${r.relaysOnline.join(', ')}`);
  return parts.join('; ');
}
