// The demo's diagnosis scenarios: the first managed computers of every build are each set up to fail
// exactly one troubleshooting check (src/diagnosis/checks.ts), so every verdict occurs whatever the
// seed and size. The rest of the estate fails checks as it happens to (relays, messages, silence).
// Also: which relay a LanGuard agent uses (gatewatch_AgentRelay), for about a third of the agents.
import * as F from './fleet.js';
import type { Rng } from './rng.js';
import { DATA_CLASSES, CORE_AGENT_NAMES } from './liveness.js';
import type { DemoRow } from './estate.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const [AMS, NYC, , FRA, LON, DUB] = F.GATEWAYS.map((g) => g.name);

export interface Scenario {
  verdict: string;
  internet?: boolean;
  cem?: boolean;
  policies?: number;
  /** The current gateway; null: on the Internet with gateways but none current. LAN agents have none. */
  gateway?: string | null;
  auth?: 'permanent' | 'ephemeral' | 'both' | 'none';
  version?: string;
  /** How long ago the last report was; null: never reported. */
  reportAgo?: number | null;
  relay?: string;
  /** Posted by rows.ts: a pending access request, or an agent error message. */
  accessRequest?: boolean;
  errorMessage?: boolean;
}

const LAN = { internet: false, gateway: undefined } as const;
const REFUSED_SINCE = F.PROBLEM_SINCE_MS + 30 * MIN;
/** How long ago the ACCESS_BLOCKED agent's pending request was made (rows.ts), after its last report. */
export const ACCESS_BLOCKED_AGO = 47 * HOUR;

export const SCENARIOS: readonly Scenario[] = [
  // On the LAN, so no gateway's broker dip in the simulator touches it.
  { verdict: 'HEALTHY', ...LAN, relay: 'RELAY-AMS-01' },
  { verdict: 'NOT_REPORTING', ...LAN, reportAgo: null },
  { verdict: 'CEM_NOT_CONFIGURED', ...LAN, cem: false, policies: 0 },
  { verdict: 'CEM_POLICY_NOT_APPLIED', ...LAN, policies: 0 },
  { verdict: 'NO_CURRENT_GATEWAY', gateway: null },
  // Refused since its gateway's problem began: no success and no report since then.
  { verdict: 'GATEWAY_OFFLINE', gateway: FRA, reportAgo: REFUSED_SINCE },
  { verdict: 'GATEWAY_NOT_REGISTERED', gateway: DUB, auth: 'ephemeral', reportAgo: REFUSED_SINCE },
  { verdict: 'EPHEMERAL_AUTH_DISABLED', gateway: LON, auth: 'ephemeral', reportAgo: REFUSED_SINCE },
  { verdict: 'ACCESS_BLOCKED', gateway: AMS, auth: 'ephemeral', reportAgo: 2 * 24 * HOUR, accessRequest: true },
  { verdict: 'TROUBLESHOOTING_MODE_OFF', gateway: NYC, auth: 'ephemeral', reportAgo: 30 * HOUR },
  { verdict: 'CERTIFICATE_INVALID', gateway: AMS, auth: 'none' },
  { verdict: 'VERSION_TOO_OLD', gateway: AMS, auth: 'ephemeral', version: '8.8.0.3601' },
  { verdict: 'NO_RECENT_GATEWAY_SUCCESS', gateway: AMS, reportAgo: 40 * HOUR },
  { verdict: 'BROKER_CONNECTIONS_LOW', gateway: LON },
  { verdict: 'AGENT_ERRORS', ...LAN, errorMessage: true },
  { verdict: 'RELAY_OFFLINE', ...LAN, relay: F.OFFLINE_RELAY },
  { verdict: 'RELAY_CACHE_FOLDER_INVALID', ...LAN, relay: F.BAD_CACHE_RELAY },
  { verdict: 'RELAY_CACHE_DISK_LOW', ...LAN, relay: F.LOW_DISK_RELAY },
  { verdict: 'RELAY_HTTP_ERRORS', ...LAN, relay: F.APACHE_ERRORS_RELAY },
];

/** The relays the scenario agents use: the simulator never takes them down, so their verdicts hold. */
export const PLANTED_RELAYS: readonly string[] = [...new Set(SCENARIOS.flatMap((s) => (s.relay ? [s.relay] : [])))];

/** The scenario agents of a demo file (SQLite, in build order): tests and the simulator leave them out of estate-wide changes. */
export const PLANTED_SQL = `SELECT Guid FROM vComputer WHERE IsManaged = 1 ORDER BY rowid LIMIT ${SCENARIOS.length}`;

export interface Planted {
  name: string;
  guid: string;
  scenario: Scenario;
}

/** The rows of a scenario agent, in place of the ones the estate drew for it. */
export function* scenarioRows(s: Scenario, guid: string, now: Date): Generator<DemoRow> {
  const t = (ms: number) => new Date(now.getTime() - ms);
  const internet = s.internet ?? true;
  const cem = s.cem ?? true;
  yield { table: 'Inv_AeX_AC_Network_Zone', row: { _ResourceGuid: guid, IsOnInternet: internet, InternetModeSupported: cem, AppliedPolicyCount: s.policies ?? 1, HTTPSMode: true, TLS: '1.2' } };
  const reportAgo = s.reportAgo === undefined ? HOUR : s.reportAgo;
  const report = reportAgo === null ? null : t(reportAgo);
  // A silent agent's last success is its last report; the other gateways are older history.
  const lastSuccess = report && reportAgo! > HOUR ? report : t(20 * MIN);
  if (internet) {
    const current = s.gateway === undefined ? AMS : s.gateway;
    for (const g of [...new Set([current ?? AMS, AMS])]) {
      const port = F.GATEWAYS.find((x) => x.name === g)!.port;
      yield { table: 'Inv_AeX_AC_InternetGatewayDetails', row: { _ResourceGuid: guid, Gateway: g, Port: port, Current: g === current, 'Last Success': g === current ? lastSuccess : t(9 * 24 * HOUR) } };
    }
  }
  const auth = s.auth ?? 'permanent';
  if (auth !== 'none') {
    // An ephemeral certificate is made as the agent gets through: it lapses six hours after its last success.
    const ephemeralUntil = Math.min(now.getTime() + 3 * HOUR, lastSuccess.getTime() + F.EPHEMERAL_LIFETIME_MS);
    const validUntil = new Date(auth === 'permanent' ? now.getTime() + 365 * 24 * HOUR : ephemeralUntil);
    yield { table: 'gatewatch_AgentAuth', row: { _ResourceGuid: guid, AuthType: auth, ValidUntil: validUntil } };
  }
  if (report) {
    yield { table: 'Inv_AeX_AC_Client_Agent', row: { _ResourceGuid: guid, 'Agent Name': CORE_AGENT_NAMES[0], 'Product Version': s.version ?? '8.8.1.4231' } };
    yield { table: 'ResourceUpdateSummary', row: { ResourceGuid: guid, InventoryClassGuid: DATA_CLASSES.basicInventory.guid, ModifiedDate: report } };
  }
  if (s.relay) yield { table: 'gatewatch_AgentRelay', row: { _ResourceGuid: guid, Relay: s.relay } };
}

/** About a third of the agents download through a relay of their site. */
export function* agentRelayRows(rng: Rng, guid: string, site: string): Generator<DemoRow> {
  if (rng.chance(0.35)) yield { table: 'gatewatch_AgentRelay', row: { _ResourceGuid: guid, Relay: `RELAY-${site}-0${rng.int(1, 3)}` } };
}
