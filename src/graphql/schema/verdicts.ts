// What each troubleshooting verdict means to an operator reading GraphiQL's Docs pane: what fails and
// where to look, in the vendor articles' words, followed by the article section the check follows
// (the check's own `source`, so the citation is written once).
import { CHECKS } from '../../diagnosis/checks.js';

const WHAT: Record<string, string> = {
  HEALTHY:
    'No check fails: the agent is managed and reporting and, on the Internet, connects through an online, registered gateway that accepts its certificate. Warnings may remain (Computer.diagnosis lists them).',
  NOT_MANAGED:
    'The computer is in the CMDB but not managed (vComputer.IsManaged = 0): no agent talks to the Notification Server, so no other check applies. Look at the agent installation in the Symantec Management Console.',
  NOT_REPORTING:
    'The agent sent no inventory for longer than the inactive threshold (--inactive-after-days, default 7), or never: switched off, uninstalled, or blocked at its gateway. Look at Computer.lastReport and at its gateway checks.',
  CEM_NOT_CONFIGURED:
    'Cloud-enabled Management is not enabled for the computer (Inv_AeX_AC_Network_Zone.InternetModeSupported = 0): off the LAN it cannot reach the Notification Server. Look at the CEM settings policy that should target it.',
  CEM_POLICY_NOT_APPLIED:
    'No CEM policy has reached the agent (AppliedPolicyCount = 0), so it knows no Internet Gateway. Look at the CEM policy targets and wait for the next policy update.',
  NO_CURRENT_GATEWAY:
    'On the Internet, but no Internet Gateway is current for the agent (Inv_AeX_AC_InternetGatewayDetails.Current): it cannot resolve or reach any gateway of its CEM policy. Look at the policy\'s gateway list, DNS and the firewall in front of the gateways.',
  GATEWAY_OFFLINE: 'The agent\'s current Internet Gateway is offline. Look at Internet Gateway Manager on that gateway: the service, the host, the network.',
  GATEWAY_NOT_REGISTERED:
    'The agent\'s gateway is not registered with the Notification Server, so it rejects every ephemeral certificate. Register it in Internet Gateway Manager.',
  EPHEMERAL_AUTH_DISABLED:
    'The agent connects with an ephemeral certificate, but its gateway has "Allow ephemeral certificates authentication" unchecked. Check it in Internet Gateway Manager, or give the agent a permanent certificate.',
  ACCESS_BLOCKED:
    'The gateway denied the agent, and its entry on the Cloud-enabled Agents Access Troubleshooting page is pending or blocked. Approve it there; blockedAgents lists it with the recorded reason.',
  TROUBLESHOOTING_MODE_OFF:
    'The agent\'s gateway has Troubleshooting mode off (its default), so the agents it denies never appear for approval. Enable it in Internet Gateway Manager.',
  CERTIFICATE_INVALID:
    'The agent\'s certificate is outside its validity window: a permanent one expired, or the ephemeral one was not renewed (clock skew, agent older than 8.8.1). Look at Computer.auth.',
  VERSION_TOO_OLD:
    'The agent has ephemeral certificates only, but it or its gateway runs a version older than 8.8.1, which ephemeral certificates need. Upgrade the agent (and the gateway), or give the agent a permanent certificate.',
  NO_RECENT_GATEWAY_SUCCESS:
    'The agent has not got through its current gateway lately (Inv_AeX_AC_InternetGatewayDetails.[Last Success] is old). Run the agent\'s connection test, then look at the gateway: online, registered, access requests.',
  BROKER_CONNECTIONS_LOW:
    'A core server holds fewer than 5 broker service connections to the agent\'s Cloud Services Appliance (Management Gateway): its core-facing half is down. Check "Additional host names", the gateway firewall and the service account, then restart the Management Gateway service on the core.',
  AGENT_ERRORS:
    'The agent posted error or warning messages; "cannot connect to Server via Relay" points at the relay, a firewall or another subnet. Read them with agentMessages(filter: { computer }).',
  RELAY_OFFLINE: 'The agent\'s LanGuard relay missed its 20-minute ping: down, or unreachable (ICMP echo, firewalls on the way).',
  RELAY_CACHE_FOLDER_INVALID: 'The agent\'s relay has an invalid cache folder; until it is fixed, Apache caches in %DataFolder%\\Cache\\Http.',
  RELAY_CACHE_DISK_LOW: 'The agent\'s relay has less than 2 GB free for its cache. Free space on that drive or move the cache folder.',
  RELAY_HTTP_ERRORS: 'The agent\'s relay reports Apache (HTTP server) errors: a firewall blocking Apache, or its port taken by another service.',
};

/** The operator's description of a verdict and the article section its check follows; undefined for one not written yet (a test lists those). */
export function verdictDescription(verdict: string): string | undefined {
  const what = WHAT[verdict];
  const source = CHECKS.find((c) => c.id === verdict)?.source;
  return what && (source ? `${what} Source: ${source}.` : what);
}
