// One tick's mutations, one function per thing the dashboards watch. They run inside the tick's
// transaction (simulator.ts) and draw from the one seeded Rng in a fixed order, so a seed replays.
import * as F from './fleet.js';
import { PLANTED_RELAYS } from './diagnosis.js';
import { iso, type SimState, type TickReport } from './sim-state.js';

const RELAY_KINDS = [F.MESSAGES.updateViaRelay, F.MESSAGES.patchViaRelay] as const;
// Above 100,000 agents the 0.5-1% per tick is capped: a tick of a million-computer estate then
// blocks the event loop ~120 ms instead of ~400.
const MAX_MOVES = 1000;

export function roam(s: SimState, now: Date, r: TickReport): void {
  const { rng } = s;
  const moves = Math.min(MAX_MOVES, Math.max(1, Math.round(s.zoneRows * rng.float(0.005, 0.01))));
  for (let i = 0; i < moves && s.zoneRows > 0; i++) {
    // Pull the Internet share back towards where the estate started, or it random-walks away.
    const share = s.internet / s.zoneRows;
    const toInternet = rng.chance(Math.min(0.9, Math.max(0.1, 0.5 + (s.targetShare - share) * 10)));
    const guid = s.probeZone(toInternet ? 0 : 1, now);
    // Denied since a rollback, it cannot tell the CMDB it moved either.
    if (!guid || s.isHeld(guid, now)) continue;
    const rows = s.all<{ Gateway: string; Port: number; cur: number; last: string | null }>('SELECT Gateway, Port, [Current] AS cur, [Last Success] AS last FROM Inv_AeX_AC_InternetGatewayDetails WHERE _ResourceGuid = ? ORDER BY Gateway', guid);
    for (const row of rows.filter((x) => x.cur === 1)) s.bump(row.Gateway, -1);
    s.run('UPDATE Inv_AeX_AC_InternetGatewayDetails SET [Current] = 0 WHERE _ResourceGuid = ? AND [Current] = 1', guid);
    s.run('UPDATE Inv_AeX_AC_Network_Zone SET IsOnInternet = ? WHERE _ResourceGuid = ?', toInternet ? 1 : 0, guid);
    if (toInternet) {
      // Back through the gateway it last got through, or one it can use, by the gateways' shares.
      const auth = s.one<string | undefined>('SELECT AuthType FROM gatewatch_AgentAuth WHERE _ResourceGuid = ?', guid) ?? 'none';
      const latest = [...rows].sort((a, b) => (b.last ?? '').localeCompare(a.last ?? ''))[0];
      const usable = F.GATEWAYS.filter((g) => !F.blocks(g.name, auth));
      const gw = latest && !F.blocks(latest.Gateway, auth) && !rng.chance(0.2) ? latest.Gateway : rng.weighted(usable.map((g) => [g.name, g.share] as const));
      if (rows.some((x) => x.Gateway === gw)) s.run('UPDATE Inv_AeX_AC_InternetGatewayDetails SET [Current] = 1, [Last Success] = ? WHERE _ResourceGuid = ? AND Gateway = ?', iso(now), guid, gw);
      else s.run('INSERT INTO Inv_AeX_AC_InternetGatewayDetails (_ResourceGuid, Gateway, Port, [Current], [Last Success]) VALUES (?, ?, ?, 1, ?)', guid, gw, F.GATEWAYS.find((g) => g.name === gw)?.port ?? 443, iso(now));
      s.bump(gw, 1);
      s.connected(guid, now);
    }
    s.internet += toInternet ? 1 : -1;
    if (toInternet) r.toInternet++;
    else r.toLan++;
  }
  // 2-5% of the Internet agents get through per interval, however far the clock moved since the last tick.
  const intervals = Math.min(12, Math.max(1, (now.getTime() - (s.lastRoamAt ?? now.getTime() - s.interval)) / s.interval));
  s.lastRoamAt = now.getTime();
  const refresh = Math.min(MAX_MOVES, Math.round(s.internet * rng.float(0.02, 0.05) * intervals));
  for (let i = 0; i < refresh; i++) {
    const guid = s.probeZone(1, now);
    const at = new Date(now.getTime() - rng.int(0, s.interval));
    if (guid && !s.isHeld(guid, now)) r.lastSuccessRefreshed += s.connected(guid, at);
  }
}

export function jitterConnections(s: SimState, r: TickReport): void {
  const { rng } = s;
  if (!s.pairs.some((p) => p.degradedFor > 0) && rng.chance(1 / 240)) {
    const free = s.pairs.filter((p) => !p.pinned);
    if (free.length) Object.assign(rng.pick(free), { degradedFor: rng.int(3, 12), n: rng.int(1, 4) });
  }
  for (const p of s.pairs) {
    if (p.pinned) continue;
    const before = p.n;
    if (p.degradedFor > 0 && --p.degradedFor === 0) p.n = rng.int(F.MIN_BROKER_CONNECTIONS, F.MAX_BROKER_CONNECTIONS);
    else if (p.degradedFor === 0) p.n = Math.min(F.MAX_BROKER_CONNECTIONS, Math.max(F.MIN_BROKER_CONNECTIONS, p.n + rng.int(-1, 1)));
    if (p.n !== before || p.degradedFor > 0) r.brokerChanged += s.run('UPDATE gatewatch_BrokerConnection SET Connections = ? WHERE Gateway = ? AND Core = ? AND Connections <> ?', p.n, p.gateway, p.core, p.n);
  }
  r.brokerDegraded = s.pairs.filter((p) => p.n < F.MIN_BROKER_CONNECTIONS && !F.plantedBroker(p.gateway)).map((p) => `${p.gateway}/${p.core}`);
  s.syncBrokerLevel();
  for (const g of F.GATEWAYS) {
    // Not every agent on the Internet holds a tunnel open at any one moment.
    // A gateway that is down holds none, though its agents' inventory still names it current.
    const up = g.online === false ? 0 : 1;
    s.run(`UPDATE gatewatch_GatewayConnection SET Connections = ? WHERE Gateway = ? AND Level = 'client'`, up * Math.round((s.onGateway.get(g.name) ?? 0) * rng.float(0.55, 0.75)), g.name);
    if (rng.chance(0.25) && g.online !== false) s.run('UPDATE gatewatch_Gateway SET AuthFailures = AuthFailures + ? WHERE Name = ?', rng.int(1, 2), g.name);
  }
}

const ONLINE = F.GATEWAYS.filter((g) => g.online !== false);
/** Where a CMDB rollback shows: gateways that check registrations of ephemeral certificates. */
const ROLLBACK_GATEWAYS = ONLINE.filter((g) => !F.EPHEMERAL_REFUSED.includes(g.name)).map((g) => g.name);

export function trickle(s: SimState, now: Date, r: TickReport): void {
  for (let n = s.rng.int(0, 2); n > 0; n--) {
    const agent = s.probeComputer();
    const gw = s.rng.pick(ONLINE);
    const reason = s.rng.pick(['time_skew', 'version_mismatch'] as const);
    s.deny(gw.name, agent?.Name ?? 'UNKNOWN', gw.registered === false ? 'gateway_not_registered' : reason, s.within(now));
    r.denials++;
  }
}

export function burst(s: SimState, opts: { gateway?: string; agents?: number; now?: Date }): { rollbackDenials: number; accessRequests: number } {
  const { rng } = s;
  const now = opts.now ?? new Date();
  const gateways = s.all<{ Name: string; TroubleshootingMode: number }>('SELECT Name, TroubleshootingMode FROM gatewatch_Gateway ORDER BY Name');
  const gw = opts.gateway ? gateways.find((g) => g.Name === opts.gateway) : rng.pick(gateways.filter((g) => ROLLBACK_GATEWAYS.includes(g.Name)));
  if (!gw) throw new Error(`unknown gateway ${opts.gateway}`);
  const agents = opts.agents ?? rng.int(30, 80);
  let requests = 0;
  for (let i = 0; i < agents; i++) {
    // Mostly agents registered after the backup the CMDB went back to: unknown to it, no GUID.
    const known = rng.chance(0.35) ? s.probeComputer() : undefined;
    if (known) s.hold(known.Guid, now);
    const name = known?.Name ?? `LT-${rng.pick(F.SITES).code}-${rng.int(100000, 999999)}`;
    const at = s.within(now);
    s.deny(gw.Name, name, 'registration_not_found', at);
    // Only a gateway in Troubleshooting mode reports whom it denied (Broadcom ITMS CEM, Part 1 step 1).
    if (gw.TroubleshootingMode === 1 && !s.one<number>(`SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE AgentName = ? AND Status = 'pending'`, name)) {
      const guid = known?.Guid ?? s.one<string | undefined>('SELECT Guid FROM vComputer WHERE Name = ?', name) ?? null;
      const id = s.one<number>('SELECT COALESCE(MAX(Id), 0) + 1 FROM gatewatch_AccessRequest');
      s.run(`INSERT INTO gatewatch_AccessRequest (Id, AgentName, _ResourceGuid, ReportedBy, CreatedAt, Status, Reason) VALUES (?, ?, ?, ?, ?, 'pending', 'registration_not_found')`, id, name, guid, gw.Name, iso(at));
      requests++;
    }
  }
  s.run('UPDATE gatewatch_Gateway SET AuthFailures = AuthFailures + ? WHERE Name = ?', agents, gw.Name);
  return { rollbackDenials: agents, accessRequests: requests };
}

/** Its own transaction: a savepoint inside a tick, a transaction when a test or script calls it. */
export function setRelayOnline(s: SimState, relay: string, online: boolean, now: Date): void {
  s.db.transaction(() => {
    if (!s.one<number>('SELECT COUNT(*) FROM gatewatch_Relay WHERE Name = ?', relay)) throw new Error(`unknown relay ${relay}`);
    s.autoOffline.delete(relay);
    const kind = F.MESSAGES.relayOffline;
    if (online) {
      s.run('UPDATE gatewatch_Relay SET Online = 1, LastPing = ? WHERE Name = ?', iso(now), relay);
      s.run('DELETE FROM gatewatch_AgentMessage WHERE Computer = ? AND MessageTypeId = ?', relay, kind.id);
      // The agents that could not reach it stop complaining once AgentManager clears their messages.
      s.run(`DELETE FROM gatewatch_AgentMessage WHERE MessageTypeId IN (?, ?) AND Text LIKE ?`, RELAY_KINDS[0].id, RELAY_KINDS[1].id, `%Relay ${relay}:%`);
    } else {
      s.run('UPDATE gatewatch_Relay SET Online = 0 WHERE Name = ?', relay);
      if (!s.one<number>('SELECT COUNT(*) FROM gatewatch_AgentMessage WHERE Computer = ? AND MessageTypeId = ?', relay, kind.id)) s.post(kind, relay, relay, now);
    }
  })();
}

export function relays(s: SimState, now: Date, r: TickReport): void {
  for (const [relay, left] of [...s.autoOffline]) {
    if (left > 1) {
      s.autoOffline.set(relay, left - 1);
    } else {
      setRelayOnline(s, relay, true, now);
      r.relaysOnline.push(relay);
    }
  }
  const all = s.all<{ Name: string; Online: number }>('SELECT Name, Online FROM gatewatch_Relay ORDER BY Name');
  const online = all.filter((x) => x.Online === 1).map((x) => x.Name);
  // The planted agents' relays stay as planted.
  const candidates = online.filter((x) => !PLANTED_RELAYS.includes(x));
  if (s.autoOffline.size === 0 && candidates.length > 0 && s.rng.chance(1 / 180)) {
    const relay = s.rng.pick(candidates);
    setRelayOnline(s, relay, false, now);
    s.autoOffline.set(relay, s.rng.int(24, 120));
    r.relaysOffline.push(relay);
  }
  for (const relay of online) {
    const ping = iso(F.relayPingAt(relay, now));
    r.relayPings += s.run('UPDATE gatewatch_Relay SET LastPing = ? WHERE Name = ? AND Online = 1 AND (LastPing IS NULL OR LastPing < ?)', ping, relay, ping);
  }
}

export function messages(s: SimState, now: Date, r: TickReport): void {
  const { rng } = s;
  // The planted offline relay's agents said so when it was built; complaints that never cleared
  // would, tick by tick, give every agent an error.
  const down = s.all<{ Name: string }>('SELECT Name FROM gatewatch_Relay WHERE Online = 0 ORDER BY Name').map((x) => x.Name).filter((x) => x !== F.OFFLINE_RELAY);
  // Agents behind a dead relay fail their downloads; otherwise the odd failure comes and goes.
  for (let n = down.length ? rng.int(1, 3) : rng.chance(0.2) ? 1 : 0; n > 0; n--) {
    const agent = s.probeComputer();
    if (!agent) break;
    const relay = down.length ? rng.pick(down) : rng.pick(F.RELAYS);
    s.post(rng.pick(RELAY_KINDS), agent.Name, relay, now);
    r.messagesPosted++;
  }
  // A planted agent's error stays until the demo is rebuilt.
  if (rng.chance(0.2)) r.messagesCleared += s.run('DELETE FROM gatewatch_AgentMessage WHERE Id = (SELECT MIN(Id) FROM gatewatch_AgentMessage WHERE MessageTypeId IN (?, ?, ?) AND Computer NOT IN (SELECT value FROM json_each(?)))', RELAY_KINDS[0].id, RELAY_KINDS[1].id, F.MESSAGES.updateSlow.id, s.plantedNames);
}
