// The gateway alerts (Ivanti's CSA troubleshooting guide; Broadcom's ITMS 8.8.1 ephemeral-certificate
// article, Part 1): denial bursts, agents left waiting for approval, broker connections, offline or
// unregistered gateways, ephemeral authentication off, Troubleshooting mode off while denying.
import { L, M } from '../metrics/names.js';
import { dur, type AlertConfig } from './config.js';
import { COUNT, ageOf, is, sel, type Spec } from './spec.js';

/** The spike expression: recent denials per gateway against the gateway's own earlier rate. */
export function spikeExpr(config: AlertConfig): string {
  const { window, baseline, multiplier, minDenials } = config.spike;
  const recent = `sum by (${L.gateway}) (increase(${M.gatewayDenials}[${dur(window)}]))`;
  const expected = `sum by (${L.gateway}) (rate(${M.gatewayDenials}[${dur(baseline)}] offset ${dur(window)})) * ${window}`;
  // The counter is a count of denial rows: rows deleted (a clean-up, or an older backup restored) make
  // it drop, which increase() would read as a reset followed by every remaining row being new.
  const dropped = `sum by (${L.gateway}) (resets(${M.gatewayDenials}[${dur(window)}])) > 0`;
  return [
    `(${recent} >= ${minDenials})`,
    `unless on (${L.gateway})`,
    `(${recent} <= ${multiplier} * ${expected})`,
    `unless on (${L.gateway})`,
    `(${dropped})`,
  ].join('\n');
}

export function gatewayRules(c: AlertConfig): Spec[] {
  const gw = `{{ $labels.${L.gateway} }}`;
  const { window, baseline, multiplier, minDenials } = c.spike;
  const offline = `${M.gatewayOnline} == 0`;
  return [
    {
      alert: 'GatewatchBlockedAgentSpike',
      expr: spikeExpr(c),
      for: c.spike.for,
      severity: 'critical',
      summary: 'An Internet Gateway is denying far more agent connections than it usually does.',
      description:
        `Gateway ${gw} denied about ${COUNT} connections in the last ${dur(window)}. ` +
        `The alert needs at least ${minDenials} denials in ${dur(window)} AND more than ${multiplier}x what the ` +
        `gateway's own rate over the ${dur(baseline)} before them would give in ${dur(window)}, so a steady ` +
        'trickle of denials (or a quiet gateway seeing a couple) stays silent while a burst fires. A CMDB ' +
        'rollback (lost registrations) or time skew between agent, gateway and Notification Server is the usual cause.',
    },
    {
      alert: 'GatewatchAgentsAwaitingApproval',
      expr: `${ageOf(M.accessRequestOldestPending)} > ${c.awaitingApproval.maxWait}`,
      for: c.awaitingApproval.for,
      severity: 'warning',
      summary: 'An agent has waited on the Access Troubleshooting page for hours without an administrator approving or blocking it.',
      description:
        `The oldest pending agent that gateway ${gw} denied has waited {{ $value | humanizeDuration }} on the ` +
        `Cloud-enabled Agents Access Troubleshooting page (the limit is ${dur(c.awaitingApproval.maxWait)}); ` +
        'it cannot reach the Notification Server until approved.',
    },
    {
      alert: 'GatewatchBrokerConnectionsLow',
      expr: `${M.gatewayBrokerConnections} < ${c.broker.minPerCore}\nunless on (${L.gateway}) (${offline})`,
      for: c.broker.for,
      severity: 'critical',
      summary: 'A core server holds fewer broker service connections to a gateway than it needs.',
      description:
        `Core {{ $labels.${L.core} }} holds ${COUNT} broker service connections to gateway ${gw} ` +
        `(healthy is at least ${c.broker.minPerCore} per core); agents behind the gateway cannot reach that core.`,
    },
    {
      alert: 'GatewatchGatewayOffline',
      expr: offline,
      for: c.gatewayOfflineFor,
      severity: 'critical',
      summary: 'An Internet Gateway is offline.',
      description: `Gateway ${gw} reports offline; agents on the Internet that use it cannot reach the Notification Server.`,
    },
    {
      alert: 'GatewatchGatewayNotRegistered',
      expr: `${M.gatewayRegistered} == 0`,
      for: c.gatewayNotRegisteredFor,
      severity: 'critical',
      summary: 'An Internet Gateway is not registered with the Notification Server and rejects every ephemeral certificate.',
      description:
        `Gateway ${gw} is not registered with the Notification Server: it rejects all ephemeral certificates, ` +
        'so only agents with permanent certificates can connect through it.',
    },
    {
      alert: 'GatewatchEphemeralAuthDisabled',
      // The value is the computers assigned to the gateway; it fires only while some agent of the fleet
      // holds an ephemeral certificate alone (with a permanent one too, an agent still gets through).
      expr:
        `${M.gatewayAssignedComputers}\nand on (${L.gateway}) (${M.gatewayEphemeralAuthEnabled} == 0)\n` +
        `and on () (sum(${sel(M.computers, is('auth', 'ephemeral'))}) > 0)`,
      for: c.ephemeralAuthDisabledFor,
      severity: 'warning',
      summary: 'An Internet Gateway refuses ephemeral certificates while agents of the fleet depend on them.',
      description:
        `Gateway ${gw} has "Allow ephemeral certificates authentication" turned off: agents that hold only an ` +
        `ephemeral certificate cannot connect through it. ${COUNT} computers have it as their current gateway.`,
    },
    {
      alert: 'GatewatchTroubleshootingModeOff',
      expr:
        `(sum by (${L.gateway}) (increase(${M.gatewayDenials}[${dur(c.troubleshootingMode.denialWindow)}])) > 0)\n` +
        `and on (${L.gateway}) (${M.gatewayTroubleshootingMode} == 0)`,
      for: c.troubleshootingMode.for,
      severity: 'warning',
      summary: 'A gateway is denying agents but is not in Troubleshooting mode, so none of them can be approved.',
      description:
        `Gateway ${gw} denied ${COUNT} connections in the last ` +
        `${dur(c.troubleshootingMode.denialWindow)} but Troubleshooting mode is off: it does not report denied ` +
        'agents, and the Access Troubleshooting page stays empty for it.',
    },
  ];
}

