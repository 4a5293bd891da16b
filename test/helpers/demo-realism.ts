// The demo's planted gateway problems, checked against every signal they touch: what the build
// writes and what the simulator keeps writing must tell one story (an offline gateway holds no
// connection and lets nobody through, an unregistered one refuses ephemeral certificates and says
// why, a gateway out of Troubleshooting mode reports nobody for approval).
import type Database from 'better-sqlite3';
import * as F from '../../src/demo/fleet.js';

const PROBLEM_WINDOW_MS = F.PROBLEM_SINCE_MS;

/** Every contradiction found in the demo file at `now`, as readable lines; [] when there is none. */
export function contradictions(db: Database.Database, now: Date): string[] {
  const out: string[] = [];
  const num = (sql: string, ...args: unknown[]) => Number(db.prepare(sql).pluck().get(...args));
  const recent = new Date(now.getTime() - PROBLEM_WINDOW_MS).toISOString();
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  const json = (xs: readonly string[]) => JSON.stringify(xs);

  for (const g of F.OFFLINE_GATEWAYS) {
    const held = db.prepare('SELECT Level, Connections FROM gatewatch_GatewayConnection WHERE Gateway = ? AND Connections <> 0').all(g) as { Level: string; Connections: number }[];
    if (held.length) out.push(`offline ${g} holds connections: ${JSON.stringify(held)}`);
    if (num('SELECT COUNT(*) FROM gatewatch_BrokerConnection WHERE Gateway = ? AND Connections <> 0', g)) out.push(`offline ${g} holds broker connections`);
    const fresh = num('SELECT COUNT(*) FROM Inv_AeX_AC_InternetGatewayDetails WHERE Gateway = ? AND [Last Success] >= ?', g, recent);
    if (fresh) out.push(`offline ${g}: ${fresh} agents got through it in the last ${PROBLEM_WINDOW_MS / 3_600_000} h`);
    const denied = num('SELECT COUNT(*) FROM gatewatch_Denial WHERE Gateway = ? AND DeniedAt >= ?', g, recent);
    if (denied) out.push(`offline ${g} denied ${denied} agents in the last ${PROBLEM_WINDOW_MS / 3_600_000} h`);
  }
  const refusedThrough = num(
    `SELECT COUNT(*) FROM Inv_AeX_AC_InternetGatewayDetails g JOIN gatewatch_AgentAuth a ON a._ResourceGuid = g._ResourceGuid
     WHERE g.[Current] = 1 AND a.AuthType = 'ephemeral' AND g.Gateway IN (SELECT value FROM json_each(?)) AND g.[Last Success] >= ?`,
    json(F.EPHEMERAL_REFUSED), recent,
  );
  if (refusedThrough) out.push(`${refusedThrough} ephemeral-only agents got through a gateway refusing ephemeral certificates`);
  const newCerts = num(
    `SELECT COUNT(*) FROM Inv_AeX_AC_InternetGatewayDetails g JOIN gatewatch_AgentAuth a ON a._ResourceGuid = g._ResourceGuid
     WHERE g.[Current] = 1 AND a.AuthType = 'ephemeral' AND g.Gateway IN (SELECT value FROM json_each(?))
       AND a.ValidUntil > strftime('%Y-%m-%dT%H:%M:%fZ', g.[Last Success], '+${F.EPHEMERAL_LIFETIME_MS / 1000} seconds')`,
    json(F.EPHEMERAL_REFUSED),
  );
  if (newCerts) out.push(`${newCerts} agents refused ephemeral certificates hold one made after their last success`);

  const registered = F.GATEWAYS.filter((g) => g.registered !== false).map((g) => g.name);
  const wrongReason = num(`SELECT COUNT(*) FROM gatewatch_Denial WHERE Reason = 'gateway_not_registered' AND Gateway IN (SELECT value FROM json_each(?))`, json(registered));
  if (wrongReason) out.push(`registered gateways recorded ${wrongReason} gateway_not_registered denials`);
  const wrongRequests = num(`SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE Reason = 'gateway_not_registered' AND ReportedBy IN (SELECT value FROM json_each(?))`, json(registered));
  if (wrongRequests) out.push(`registered gateways reported ${wrongRequests} access requests for gateway_not_registered`);
  for (const g of F.GATEWAYS.filter((x) => x.registered === false)) {
    if (!num(`SELECT COUNT(*) FROM gatewatch_Denial WHERE Reason = 'gateway_not_registered' AND Gateway = ? AND DeniedAt >= ?`, g.name, dayAgo)) out.push(`unregistered ${g.name} recorded no gateway_not_registered denial in a day`);
  }
  for (const g of F.GATEWAYS.filter((x) => !x.troubleshootingMode)) {
    const pending = num(`SELECT COUNT(*) FROM gatewatch_AccessRequest WHERE ReportedBy = ? AND Status = 'pending'`, g.name);
    if (pending) out.push(`${g.name} is out of Troubleshooting mode yet lists ${pending} pending access requests`);
  }

  // Tunnels are held by agents that get through: never more client connections than such agents.
  const current = db.prepare(`SELECT g.Gateway AS gw, COALESCE(a.AuthType, 'none') AS auth FROM Inv_AeX_AC_InternetGatewayDetails g
    LEFT JOIN gatewatch_AgentAuth a ON a._ResourceGuid = g._ResourceGuid WHERE g.[Current] = 1`).all() as { gw: string; auth: string }[];
  for (const g of F.GATEWAYS) {
    const through = current.filter((c) => c.gw === g.name && !F.blocks(c.gw, c.auth)).length;
    const clients = num(`SELECT Connections FROM gatewatch_GatewayConnection WHERE Gateway = ? AND Level = 'client'`, g.name);
    if (clients > through) out.push(`${g.name} holds ${clients} client connections for ${through} agents that get through it`);
  }

  const internet = num('SELECT COUNT(*) FROM Inv_AeX_AC_Network_Zone WHERE IsOnInternet = 1');
  for (const g of F.PROBLEM_GATEWAYS) {
    const n = num('SELECT COUNT(*) FROM Inv_AeX_AC_InternetGatewayDetails WHERE Gateway = ? AND [Current] = 1', g.name);
    if (n < internet * 0.03) out.push(`${g.name} is current for ${n} of ${internet} Internet agents: under 3 %`);
  }
  return out;
}
