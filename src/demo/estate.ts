// The estate itself: gateways and their cores, computers with their network zones, gateway history
// and agent auth, gateway connection levels and relays. Computers stream one at a time, so what the
// later tables need from them is gathered as they pass (Tally) instead of held.
import * as F from './fleet.js';
import type { Rng } from './rng.js';
import { agentRelayRows, scenarioRows, SCENARIOS, type Planted } from './diagnosis.js';
import { EPHEMERAL_MIN_VERSION, livenessOf, pickVersion, reportRows, versionAtLeast, type AgentFacts } from './liveness.js';

/** One row of a contract table, keyed by column name; booleans as boolean, timestamps as Date. */
export interface DemoRow {
  table: string;
  row: Record<string, unknown>;
}

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
const PROGRESS_EVERY = 10_000;

export function defaultNow(): Date {
  return new Date(Math.floor(Date.now() / MIN) * MIN);
}

export const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
const ahead = (now: Date, ms: number) => new Date(now.getTime() + ms);

interface Agent {
  name: string;
  guid: string;
  site: string;
}

/** What later tables need to know about the computers without holding them all. */
export interface Tally {
  /** Per gateway: the agents whose current gateway it is and that get through it. */
  current: number[];
  brokerSum: number[];
  serial: Map<string, number>;
  /** Reservoir sample of managed computers: denials, access requests and messages name them. */
  sample: Agent[];
  /** The diagnosis scenario agents (kept out of the sample, so nothing else happens to them). */
  planted: Planted[];
}

const SAMPLE_SIZE = 500;

export function* gatewayRows(rng: Rng, tally: Tally): Generator<DemoRow> {
  for (const g of F.GATEWAYS) {
    yield { table: 'gatewatch_Gateway', row: { Name: g.name, Port: g.port, Version: g.version, Online: g.online ?? true, Registered: g.registered ?? true, TroubleshootingMode: g.troubleshootingMode, EphemeralAuthEnabled: g.ephemeralAuth ?? true, AuthFailures: rng.int(0, 40) } };
    let sum = 0;
    for (const core of F.CORES) {
      const drawn = rng.int(F.MIN_BROKER_CONNECTIONS, F.MAX_BROKER_CONNECTIONS);
      // One core short of the minimum (or every core, when the gateway is down): the Ivanti CSA article's core-facing failure.
      const n = g.broker === undefined ? drawn : core === F.CORES[F.CORES.length - 1] || g.online === false ? g.broker : drawn;
      sum += n;
      yield { table: 'gatewatch_BrokerConnection', row: { Gateway: g.name, Core: core, Connections: n } };
    }
    tally.brokerSum.push(sum);
  }
}

export function* computerRows(rng: Rng, managed: number, now: Date, tally: Tally, onProgress?: (done: number, total: number) => void): Generator<DemoRow> {
  const total = managed + Math.round(managed * 0.03);
  let unmanagedLeft = total - managed;
  const siteWeights = F.SITES.map((s) => [s, s.weight] as const);
  let seen = 0;
  // Its own stream, so agent versions and liveness leave the rest of the estate as it was.
  const live = rng.fork('liveness');
  const relays = rng.fork('agent-relays');
  const pg = rng.fork('problem-gateways');
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
      const scenario = SCENARIOS[seen];
      if (scenario) {
        // Drawn and dropped (its gateway not counted), so the rest of the estate is the one the seed always gives.
        for (const _ of agentRows(rng, live, pg, guid, site, laptop, now, { ...tally, current: [...tally.current] }));
        yield* scenarioRows(scenario, guid, now);
        tally.planted.push({ name, guid, scenario });
      } else {
        yield* agentRows(rng, live, pg, guid, site, laptop, now, tally);
        yield* agentRelayRows(relays, guid, site.code);
      }
      seen++;
      if (!scenario && tally.sample.length < SAMPLE_SIZE) tally.sample.push({ name, guid, site: site.code });
      else if (!scenario && rng.chance(SAMPLE_SIZE / seen)) tally.sample[rng.int(0, SAMPLE_SIZE - 1)] = { name, guid, site: site.code };
    }
    if ((i + 1) % PROGRESS_EVERY === 0) onProgress?.(i + 1, total);
  }
  onProgress?.(total, total);
}

function* agentRows(rng: Rng, live: Rng, pg: Rng, guid: string, site: F.SiteDef, laptop: boolean, now: Date, tally: Tally): Generator<DemoRow> {
  const cem = rng.chance(0.92);
  // Laptops roam; desktops are on the Internet only from home offices. About 25% overall.
  const onInternet = cem && rng.chance(laptop ? 0.45 : 0.13);
  const policies = cem ? (rng.chance(0.95) ? rng.int(1, 3) : 0) : rng.chance(0.97) ? 0 : 1;
  const https = rng.chance(0.96);
  const tls = https ? (rng.chance(0.6) ? '1.2' : '1.3') : null;
  yield { table: 'Inv_AeX_AC_Network_Zone', row: { _ResourceGuid: guid, IsOnInternet: onInternet, InternetModeSupported: cem, AppliedPolicyCount: policies, HTTPSMode: https, TLS: tls } };

  // Gateway rows wait for the agent's liveness: a silent agent's last success is its last report.
  const gateways: Record<string, unknown>[] = [];
  if (cem && (onInternet || rng.chance(0.85))) {
    const others = F.SITE_GATEWAYS.map((_, k) => k).filter((k) => k !== site.home);
    if (rng.chance(0.5)) others.reverse();
    const order = [site.home, ...others].slice(0, rng.weighted([[1, 60], [2, 30], [3, 10]] as const));
    const currentAt = onInternet ? (rng.chance(0.9) ? 0 : rng.int(0, order.length - 1)) : -1;
    for (const [j, k] of order.entries()) {
      const current = j === currentAt;
      const last = current ? ago(now, rng.int(0, 55 * MIN)) : rng.chance(0.3) ? null : ago(now, rng.int(HOUR, 30 * DAY));
      gateways.push({ _ResourceGuid: guid, Gateway: F.GATEWAYS[k]!.name, Port: F.GATEWAYS[k]!.port, Current: current, 'Last Success': last });
    }
    // Some agents use a problem gateway, by its share: on the Internet it is current, on the LAN it is
    // the last one they got through (so the simulator's roaming brings as many back to it). From
    // their own stream (pg), so the rest of the estate is drawn as before; the rest is older history.
    const problem = problemGateway(pg);
    if (problem) {
      const at = ago(now, currentAt >= 0 ? pg.int(0, 55 * MIN) : F.PROBLEM_SINCE_MS + pg.int(HOUR, 10 * DAY));
      for (const g of gateways) {
        if (g.Current || (g['Last Success'] as Date | null)! > at) Object.assign(g, { Current: false, 'Last Success': ago(at, pg.int(HOUR, 30 * DAY)) });
      }
      gateways.push({ _ResourceGuid: guid, Gateway: problem.name, Port: problem.port, Current: currentAt >= 0, 'Last Success': at });
    }
  }

  let auth: AgentFacts['auth'] = 'none';
  let until: Date | null = null;
  if (!rng.chance(0.04)) {
    auth = rng.weighted([['permanent', 45], ['ephemeral', 30], ['both', 25]] as const);
    until = auth === 'permanent' ? ahead(now, rng.int(200, 3 * 365) * DAY) : ahead(now, rng.int(5 * MIN, F.EPHEMERAL_LIFETIME_MS));
  }
  // Agents before 8.8.1 have no ephemeral certificates, except the few an ephemeral-only policy reached.
  const version = pickVersion(live);
  if (auth !== 'none' && auth !== 'permanent' && !versionAtLeast(version, EPHEMERAL_MIN_VERSION) && !(auth === 'ephemeral' && live.chance(0.15))) {
    auth = 'permanent';
    until = ahead(now, live.int(200, 3 * 365) * DAY);
  }

  const current = gateways.find((g) => g.Current);
  const facts: AgentFacts = { laptop, onInternet, gateway: current ? String(current.Gateway) : null, auth, version };
  const liveness = livenessOf(live, facts, now);
  // Behind a gateway that refuses it since its problem began, an agent has neither got through nor
  // reported since, and its last ephemeral certificate was made before then.
  const blocked = current !== undefined && F.blocks(String(current.Gateway), auth);
  if (blocked) {
    const cut = ago(now, F.PROBLEM_SINCE_MS + pg.int(0, 55 * MIN));
    if (liveness.lastReport && liveness.lastReport > cut) Object.assign(liveness, { lastReport: cut, cause: 'gateway-problem' });
    if (auth === 'ephemeral' && until && liveness.lastReport) until = new Date(Math.min(until.getTime(), liveness.lastReport.getTime() + F.EPHEMERAL_LIFETIME_MS));
  }
  if (current && (blocked || liveness.cause !== 'healthy')) current['Last Success'] = liveness.lastReport;
  if (current && !blocked) tally.current[F.GATEWAYS.findIndex((g) => g.name === current.Gateway)]!++;
  if (auth !== 'none') yield { table: 'gatewatch_AgentAuth', row: { _ResourceGuid: guid, AuthType: auth, ValidUntil: until } };
  for (const row of gateways) yield { table: 'Inv_AeX_AC_InternetGatewayDetails', row };
  yield* reportRows(live, guid, version, gateways.length > 0, liveness);
}

const PROBLEM_SHARE = F.PROBLEM_GATEWAYS.reduce((n, g) => n + g.share, 0) / 100;

function problemGateway(pg: Rng): F.GatewayDef | undefined {
  return pg.chance(PROBLEM_SHARE) ? pg.weighted(F.PROBLEM_GATEWAYS.map((g) => [g, g.share] as const)) : undefined;
}

export function* connectionRows(rng: Rng, tally: Tally): Generator<DemoRow> {
  for (const [k, g] of F.GATEWAYS.entries()) {
    const up = g.online !== false ? 1 : 0; // a gateway that is down holds no connection at all
    const levels: Record<(typeof F.CONNECTION_LEVELS)[number], number> = {
      broker: tally.brokerSum[k]!,
      // Not every Internet agent holds a tunnel open at any one moment (tally.current: agents that get through).
      client: up * Math.round(tally.current[k]! * rng.float(0.55, 0.75)),
      admin: up * rng.int(0, 2),
      console: up * rng.int(1, 4),
      unprivileged: up * rng.int(0, 12),
    };
    for (const level of F.CONNECTION_LEVELS) yield { table: 'gatewatch_GatewayConnection', row: { Gateway: g.name, Level: level, Connections: levels[level] } };
  }
}

export function* relayRows(rng: Rng, now: Date): Generator<DemoRow> {
  for (const name of F.RELAYS) {
    const free = name === F.LOW_DISK_RELAY ? Math.round(1.4 * F.GIB) : rng.int(20, 400) * F.GIB + rng.int(0, F.GIB);
    const errors = name === F.APACHE_ERRORS_RELAY ? 3 : 0;
    // The offline relay last answered three pings ago.
    const ping = name === F.OFFLINE_RELAY ? ago(now, 3 * F.RELAY_PING_MS) : F.relayPingAt(name, now);
    yield { table: 'gatewatch_Relay', row: { Name: name, Online: name !== F.OFFLINE_RELAY, LastPing: ping, CacheFolderValid: name !== F.BAD_CACHE_RELAY, CacheFreeBytes: free, HttpServerErrors: errors, ClientsServed: rng.int(50, 600) } };
  }
}
