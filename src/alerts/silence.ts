// Agents going silent: a surge of agents that stopped reporting, behind one gateway (a CMDB rollback,
// an ephemeral-only policy, a gateway lost) or across the fleet, against the series' own recent growth
// — like the denial spike rule, so a gateway where retired desktops pile up slowly stays quiet.
import { L, M, VALUES } from '../metrics/names.js';
import { dur, type AlertConfig } from './config.js';
import { COUNT, type Spec } from './spec.js';

/** Not-reporting agents now minus `window` ago, above `min` and above `multiplier` × the baseline's growth. */
export function silenceExpr(c: AlertConfig, silent: string, by: readonly string[], min: number): string {
  const { window, baseline, multiplier } = c.silence;
  const sum = (x: string) => (by.length ? `sum by (${by.join(', ')}) (${x})` : `sum(${x})`);
  const growth = `(${sum(silent)} - ${sum(`${silent} offset ${dur(window)}`)})`;
  const expected = `${sum(`delta(${silent}[${dur(baseline)}] offset ${dur(window)})`)} * ${window} / ${baseline}`;
  const unless = by.length ? `unless on (${by.join(', ')})` : 'unless';
  return [`(${growth} >= ${min})`, unless, `(${growth} <= ${multiplier} * ${expected})`].join('\n');
}

/** Every state but `reporting`: an agent moving from LATE to INACTIVE is no newly silent agent. */
const notReporting = `${L.state}=~"${VALUES.silent.join('|')}"`;

export function silenceRules(c: AlertConfig): Spec[] {
  const { window, baseline, multiplier, minAgents, fleetMinAgents } = c.silence;
  const growth = `more than ${multiplier}x the growth the ${dur(baseline)} before gave for ${dur(window)}`;
  return [
    {
      alert: 'GatewatchGatewayAgentsGoingSilent',
      expr: silenceExpr(c, `${M.gatewaySilentAgents}{${notReporting}}`, [L.gateway], minAgents),
      for: c.silence.for,
      severity: 'warning',
      summary: 'Many agents behind one Internet Gateway stopped reporting inventory.',
      description:
        `${COUNT} more agents whose current gateway is {{ $labels.${L.gateway} }} stopped reporting in the last ${dur(window)} ` +
        `(at least ${minAgents}, and ${growth}). A CMDB rollback (registrations lost), an ephemeral-only policy ` +
        'reaching agents before 8.8.1, or the gateway itself (offline, unregistered) are the usual causes.',
    },
    {
      alert: 'GatewatchAgentsGoingSilent',
      expr: silenceExpr(c, `${M.agents}{${notReporting}}`, [], fleetMinAgents),
      for: c.silence.for,
      severity: 'warning',
      summary: 'Many agents across the fleet stopped reporting inventory.',
      description:
        `${COUNT} more managed computers stopped reporting in the last ${dur(window)} (at least ${fleetMinAgents}, ` +
        `and ${growth}), on the LAN and the Internet together: look at the Notification Server and the ` +
        'CMDB before any one gateway.',
    },
  ];
}
