// The troubleshooting checklist: the one declaration of the checks, in the articles' order (the Broadcom
// ITMS article's CEM flow, then the Ivanti CSA guide's core-facing check, then GFI LanGuard's relay
// flow; src/articles.ts names them). Each check's
// status is a SQL CASE over the columns of queries/sql/diagnosis_facts.sql, so the per-agent view and
// the fleet count (src/diagnosis/sql.ts) are generated from this same array and cannot drift. The
// verdict of an agent is the id of its first FAIL, or HEALTHY. `detail` only words the facts.
import type { Row } from '../inventory/datasets.js';
import { below, cases, EPHEMERAL, EPHEMERAL_ONLY, onInternet, viaGateway, viaRelay, type Status } from './sql-parts.js';
import { cite } from '../articles.js';
import { accessDetail, accessRemedy, age, bytes } from './format.js';

export type Facts = Row<'diagnosis_facts'>;

export interface Check {
  /** The verdict when this check is the first to fail. */
  id: string;
  title: string;
  /** The article and section it follows, as cite() words it. */
  source: string;
  /** What to do when it fails; a function when it depends on the facts (the reason a gateway recorded). */
  remedy: string | ((f: Facts) => string);
  /** A CASE expression over the facts' columns yielding a Status; parameters only from sql-parts.ts. */
  status: string;
  /** Informational: never FAILs, so it is no verdict. */
  informational?: boolean;
  detail: (f: Facts, status: Status) => string;
}

const gw = (f: Facts) => f.CurrentGateway ?? 'its gateway';

export const CHECKS: readonly Check[] = [
  {
    id: 'NOT_MANAGED',
    title: 'Managed by the Notification Server',
    source: cite('itms', 'Part 2: the SQL query over vComputer (IsManaged = 1)'),
    remedy: 'Install or re-enable the Symantec Management Agent; an unmanaged computer is outside every other check.',
    status: cases([['[IsManaged] = 1', 'PASS']], 'FAIL'),
    detail: (f) => (f.IsManaged ? 'managed' : 'vComputer.IsManaged = 0'),
  },
  {
    id: 'NOT_REPORTING',
    title: 'Agent reporting',
    source: cite('itms', 'Part 1: health reports to the Notification Server, every 30 minutes'),
    remedy: 'Find why the agent went silent: switched off, uninstalled, or blocked at its gateway (this diagnosis\'s gateway and access request checks say which). LATE only warns; INACTIVE or NEVER fails.',
    status: cases([[`[Reporting] = 'reporting'`, 'PASS'], [`[Reporting] = 'late'`, 'WARN']], 'FAIL'),
    detail: (f) => (f.LastReport ? `${f.Reporting}: last report ${age(f.LastReport)}` : 'never reported an inventory'),
  },
  {
    id: 'CEM_NOT_CONFIGURED',
    title: 'CEM configured (InternetModeSupported)',
    source: cite('itms', 'Part 2: Inv_AeX_AC_Network_Zone.InternetModeSupported'),
    remedy: 'Enable Cloud-enabled Management for this computer (the CEM settings policy); off the LAN it cannot reach the NS.',
    status: cases([['[HasNetworkZone] = 0', 'UNKNOWN'], ['[InternetModeSupported] = 1', 'PASS']], 'FAIL'),
    detail: (f) => (f.HasNetworkZone ? `InternetModeSupported = ${f.InternetModeSupported ? 1 : 0}` : 'no network zone inventory'),
  },
  {
    id: 'CEM_POLICY_NOT_APPLIED',
    title: 'CEM policy applied (AppliedPolicyCount > 0)',
    source: cite('itms', 'Part 2: Inv_AeX_AC_Network_Zone.AppliedPolicyCount'),
    remedy: 'Target the computer with the CEM policy and wait for the next policy update.',
    status: cases([['[HasNetworkZone] = 0', 'UNKNOWN'], ['[AppliedPolicyCount] > 0', 'PASS']], 'FAIL'),
    detail: (f) => (f.HasNetworkZone ? `AppliedPolicyCount = ${f.AppliedPolicyCount ?? 0}` : 'no network zone inventory'),
  },
  {
    id: 'ON_INTERNET',
    title: 'On the Internet',
    source: cite('itms', 'Part 2: Inv_AeX_AC_Network_Zone.IsOnInternet'),
    remedy: 'On the LAN the agent talks to the NS directly; the gateway checks do not apply.',
    status: cases([['[IsOnInternet] = 1', 'PASS']], 'NOT_APPLICABLE'),
    informational: true,
    detail: (f) => (f.IsOnInternet ? 'CEM mode active (Internet Gateway)' : 'on the LAN: gateway checks do not apply'),
  },
  {
    id: 'NO_CURRENT_GATEWAY',
    title: 'Has a current Internet Gateway',
    source: cite('itms', 'Part 2: report "Computers by gateway" (Inv_AeX_AC_InternetGatewayDetails.Current)'),
    remedy: 'Check the gateway list in the CEM policy and that the agent can resolve and reach one of them.',
    status: cases([...onInternet, ['[CurrentGateway] IS NOT NULL', 'PASS']], 'FAIL'),
    detail: (f) => (f.CurrentGateway ? `current gateway ${f.CurrentGateway}` : 'on the Internet with no current gateway'),
  },
  {
    id: 'GATEWAY_OFFLINE',
    title: 'Gateway online',
    source: cite('itms', 'Part 1 step 1: Internet Gateway Manager'),
    remedy: 'Bring the Internet Gateway back (service, host, network) or move its agents to another gateway in the CEM policy.',
    status: cases([...viaGateway, ['[GatewayOnline] = 1', 'PASS']], 'FAIL'),
    detail: (f) => (f.GatewayKnown ? `${gw(f)} is ${f.GatewayOnline ? 'online' : 'offline'}` : `${gw(f)} is not in gatewatch_Gateway`),
  },
  {
    id: 'GATEWAY_NOT_REGISTERED',
    title: 'Gateway registered with the Notification Server',
    source: cite('itms', 'Part 1 step 1, note: an unregistered gateway rejects every ephemeral certificate'),
    remedy: 'Register the Internet Gateway with the NS in Internet Gateway Manager; until then only permanent certificates connect.',
    status: cases([...viaGateway, ['[GatewayRegistered] = 1', 'PASS'], [EPHEMERAL_ONLY, 'FAIL']], 'WARN'),
    detail: (f) => (f.GatewayRegistered ? `${gw(f)} is registered` : `${gw(f)} is not registered: ephemeral certificates are rejected, permanent ones still work (agent uses ${f.AuthType})`),
  },
  {
    id: 'EPHEMERAL_AUTH_DISABLED',
    title: 'Ephemeral certificate authentication allowed',
    source: cite('itms', 'Part 1 step 1: "Allow ephemeral certificates authentication"'),
    remedy: 'Check "Allow ephemeral certificates authentication" in Internet Gateway Manager, or give the agent a permanent certificate.',
    status: cases([...viaGateway, [`NOT (${EPHEMERAL})`, 'NOT_APPLICABLE'], ['[GatewayEphemeralAuth] = 1', 'PASS'], [EPHEMERAL_ONLY, 'FAIL']], 'WARN'),
    detail: (f) => `${gw(f)} ${f.GatewayEphemeralAuth ? 'allows' : 'does not allow'} ephemeral certificates; the agent uses ${f.AuthType}`,
  },
  {
    id: 'ACCESS_BLOCKED',
    title: 'No access request pending or blocked',
    source: cite('itms', 'Part 1 step 2: the Cloud-enabled Agents Access Troubleshooting page'),
    remedy: accessRemedy,
    status: cases([...onInternet, [`[AccessStatus] IN ('pending', 'blocked')`, 'FAIL']], 'PASS'),
    detail: accessDetail,
  },
  {
    id: 'TROUBLESHOOTING_MODE_OFF',
    title: 'Troubleshooting mode on at its gateway',
    source: cite('itms', 'Part 1 step 1: enable Troubleshooting mode (off by default)'),
    remedy: 'Enable Troubleshooting mode in Internet Gateway Manager so the agents it blocks appear for approval.',
    status: cases([...viaGateway, [`NOT (${EPHEMERAL})`, 'NOT_APPLICABLE'], ['[GatewayTroubleshootingMode] = 1', 'PASS'], [`[Reporting] = 'reporting'`, 'WARN']], 'FAIL'),
    detail: (f) =>
      f.GatewayTroubleshootingMode ? `on at ${gw(f)}` : `off at ${gw(f)}: if it blocks this ${f.Reporting} agent, the Access Troubleshooting page will not show it`,
  },
  {
    id: 'CERTIFICATE_INVALID',
    title: 'Certificate valid',
    source: cite('itms', 'Part 1: permanent and ephemeral certificates (validity window)'),
    remedy: 'Renew the permanent certificate, or check the agent can generate its ephemeral one (time sync, agent 8.8.1).',
    status: cases([...onInternet, [`[AuthType] = 'none'`, 'FAIL'], ['[AuthValidUntil] IS NULL', 'UNKNOWN'], ['[AuthValidUntil] < @dxNow', 'FAIL']], 'PASS'),
    detail: (f) => (f.AuthType === 'none' ? 'no certificate' : f.AuthValidUntil ? `${f.AuthType}, valid until ${f.AuthValidUntil.toISOString()}` : `${f.AuthType}, validity unknown`),
  },
  {
    id: 'VERSION_TOO_OLD',
    title: 'Agent and gateway at 8.8.1 or later for ephemeral certificates',
    source: cite('itms', 'Scope: Notification Server, Internet Gateway and agent at 8.8.1'),
    remedy: 'Upgrade the agent (and the gateway) to 8.8.1 or later, or give the agent a permanent certificate.',
    status: cases([...onInternet, [`NOT (${EPHEMERAL})`, 'NOT_APPLICABLE'], ['[AgentVersion] IS NULL', 'UNKNOWN'],
      [`(${below('[AgentVersion]')} OR ${below('[GatewayVersion]')}) AND ${EPHEMERAL_ONLY}`, 'FAIL'], [`${below('[AgentVersion]')} OR ${below('[GatewayVersion]')}`, 'WARN']], 'PASS'),
    detail: (f) => `agent ${f.AgentVersion ?? 'unknown'}, gateway ${f.GatewayVersion ?? 'unknown'}; uses ${f.AuthType} certificates`,
  },
  {
    id: 'NO_RECENT_GATEWAY_SUCCESS',
    title: 'Recent success through the gateway',
    source: cite('itms', 'Part 2: Inv_AeX_AC_InternetGatewayDetails.[Last Success]'),
    remedy: 'The agent has not got through its gateway lately: run the agent-side connection test, then read this diagnosis\'s gateway checks (online, registered, access request).',
    status: cases([...onInternet, ['[CurrentGateway] IS NULL', 'NOT_APPLICABLE'], ['[LastSuccess] >= @lateSince', 'PASS']], 'FAIL'),
    detail: (f) => (f.LastSuccess ? `last success through ${gw(f)} ${age(f.LastSuccess)}` : `never succeeded through ${gw(f)}`),
  },
  {
    id: 'BROKER_CONNECTIONS_LOW',
    title: 'Core broker connections to its gateway',
    source: cite('csa', 'Core Server facing: broker service connections (at least 5 per core)'),
    remedy: 'Core-facing half down: check "Additional host names", the gateway firewall and the service account, restart the Management Gateway service on the core and wait 5 minutes.',
    status: cases([...viaGateway, ['[BrokerMin] IS NULL', 'UNKNOWN'], ['[BrokerMin] < @minBrokerConnections', 'FAIL']], 'PASS'),
    detail: (f) => (f.BrokerLowCore ? `${f.BrokerLowCore} holds ${f.BrokerMin} broker connection(s) to ${gw(f)}` : `at least ${f.BrokerMin ?? '?'} per core to ${gw(f)}`),
  },
  {
    id: 'AGENT_ERRORS',
    title: 'No agent error or warning messages',
    source: cite('languard', 'Relay Agent Related Health Errors: agent messages (toolcfg_agentmessages.xml)'),
    remedy: 'Read the messages (agentMessages); "cannot connect to Server via Relay" points at the relay, a firewall or another subnet.',
    status: cases([['[MessageErrors] > 0', 'FAIL'], ['[MessageWarnings] > 0', 'WARN']], 'PASS'),
    detail: (f) =>
      f.MessageErrors || f.MessageWarnings
        ? [f.MessageErrors ? `${f.MessageErrors} error(s), first from ${f.ErrorComponent}` : '', f.MessageWarnings ? `${f.MessageWarnings} warning(s), first from ${f.WarningComponent}` : ''].filter(Boolean).join('; ')
        : 'no messages',
  },
  {
    id: 'RELAY_OFFLINE',
    title: 'Its relay online',
    source: cite('languard', 'Relay is offline: the 20-minute ping'),
    remedy: 'Bring the relay back or reassign its agents; check ICMP echo and the firewalls on the way.',
    status: cases([...viaRelay, ['[RelayOnline] = 1', 'PASS']], 'FAIL'),
    detail: (f) => (f.HasRelay ? (f.Relay ? `${f.Relay} is ${f.RelayOnline ? 'online' : 'offline'}` : 'its relay is not in gatewatch_Relay') : 'no relay: updates come from the server'),
  },
  {
    id: 'RELAY_CACHE_FOLDER_INVALID',
    title: 'Relay cache folder valid',
    source: cite('languard', 'Relay functionality errors: invalid cache folder'),
    remedy: 'Fix the relay cache folder path; until then Apache caches in %DataFolder%\\Cache\\Http.',
    status: cases([...viaRelay, ['[RelayCacheFolderValid] = 1', 'PASS']], 'FAIL'),
    detail: (f) => (f.Relay ? `cache folder of ${f.Relay} ${f.RelayCacheFolderValid ? 'is valid' : 'does not exist'}` : 'no relay'),
  },
  {
    id: 'RELAY_CACHE_DISK_LOW',
    title: 'Relay cache disk at least 2 GB free',
    source: cite('languard', 'Relay functionality errors: less than 2 GB free for the cache'),
    remedy: 'Free space on the relay cache drive or move the cache folder to a larger one.',
    status: cases([...viaRelay, ['[RelayCacheFreeBytes] < @dxMinCacheFreeBytes', 'FAIL']], 'PASS'),
    detail: (f) => (f.Relay ? `${bytes(f.RelayCacheFreeBytes ?? 0)} free on ${f.Relay}` : 'no relay'),
  },
  {
    id: 'RELAY_HTTP_ERRORS',
    title: 'No Apache errors on its relay',
    source: cite('languard', 'Relay functionality errors: Apache errors'),
    remedy: 'Read the relay HTTP server errors: a firewall blocking Apache, or its port taken by another service.',
    status: cases([...viaRelay, ['[RelayHttpServerErrors] > 0', 'FAIL']], 'PASS'),
    detail: (f) => (f.Relay ? `${f.RelayHttpServerErrors ?? 0} Apache error(s) on ${f.Relay}` : 'no relay'),
  },
];

/** Every verdict: the id of each check that can fail, then HEALTHY. */
export const VERDICTS: readonly string[] = [...CHECKS.filter((c) => !c.informational).map((c) => c.id), 'HEALTHY'];
/** The verdicts a managed agent can have: the fleet counts and the metric. */
export const FLEET_VERDICTS: readonly string[] = VERDICTS.filter((v) => v !== 'NOT_MANAGED');

/** The runbook anchor of a verdict: its section of docs/runbooks.md, wherever the runbooks are published. */
export const runbookAnchor = (id: string): string => `diagnosis-${id.toLowerCase()}`;
