// The gateway probe alerts: blackbox_exporter's view of each gateway from where the NOC stands (job
// gateway-probes, deploy/prometheus/prometheus.yml): unreachable, certificate expiring or expired,
// handshake much slower than its own baseline. The series carry the `gateway` label /sd/gateways gave.
import { BLACKBOX, BLACKBOX_JOB, L, M } from '../metrics/names.js';
import { dur, type AlertConfig } from './config.js';
import { is, sel, type Spec } from './spec.js';

const DAY = 86400;
const probe = (metric: string) => sel(metric, `job="${BLACKBOX_JOB}"`);

/** The earliest expiry among the certificates a gateway presents, per probed address (Unix seconds). */
const expiry = () => `min by (${L.gateway}, instance) (${probe(BLACKBOX.certExpiry)})`;
/** Seconds until it (negative once expired). */
export const certSecondsLeft = () => `(${expiry()} - time())`;

/** Unreachable gateways, labelled with whether their agents went quiet too (`agents`: silent, reporting, unknown). */
export function unreachableExpr(): string {
  const down = `(max by (${L.gateway}, instance) (${probe(BLACKBOX.success)}) == 0)`;
  const late = `sum by (${L.gateway}) (${sel(M.gatewaySilentAgents, is('state', 'late'))})`;
  const tag = (expr: string, agents: string) => `label_replace(${expr}, "agents", "${agents}", "", "")`;
  return [
    tag(`${down} and on (${L.gateway}) (${late} > 0)`, 'silent'),
    tag(`${down} and on (${L.gateway}) (${late} == 0)`, 'reporting'),
    tag(`${down} unless on (${L.gateway}) (${late})`, 'unknown'),
  ].join('\nor\n');
}

export function handshakeSlowExpr(c: AlertConfig): string {
  const { window, baseline, multiplier, floorSeconds } = c.probes.handshake;
  const recent = `avg_over_time(${probe(BLACKBOX.duration)}[${dur(window)}])`;
  const usual = `quantile_over_time(0.5, ${probe(BLACKBOX.duration)}[${dur(baseline)}])`;
  // A failed probe waits out the module's timeout: that is GatewatchGatewayUnreachable's, not slowness.
  // In milliseconds, so the annotation states a whole number.
  return `1000 * (\n  (${recent} > ${multiplier} * ${usual})\n  and (${recent} > ${floorSeconds})\n  unless (${probe(BLACKBOX.success)} == 0)\n)`;
}

export function probeRules(c: AlertConfig): Spec[] {
  const gw = `{{ $labels.${L.gateway} }} ({{ $labels.instance }})`;
  const { warnDays, criticalDays } = c.probes.certificate;
  const left = '{{ $value | humanizeDuration }}';
  return [
    {
      alert: 'GatewatchGatewayUnreachable',
      expr: unreachableExpr(),
      for: c.probes.unreachableFor,
      severity: 'critical',
      summary: 'An Internet Gateway does not accept TLS connections from the NOC.',
      description:
        `blackbox_exporter cannot connect to gateway ${gw} and complete a TLS handshake. ` +
        'Its agents: {{ $labels.agents }} (silent: agents behind it have gone late, so they cannot reach it either; ' +
        'reporting: they still report, so the fault may lie on the path from the NOC; unknown: gatewatch knows no agents behind it).',
    },
    {
      alert: 'GatewatchGatewayCertificateExpiring',
      expr: `${certSecondsLeft()} < ${warnDays * DAY}\nand ${certSecondsLeft()} >= ${criticalDays * DAY}`,
      for: c.probes.certificate.for,
      severity: 'warning',
      summary: `The certificate an Internet Gateway presents expires within ${warnDays} days.`,
      description: `Gateway ${gw} presents a certificate that expires in ${left}; agents stop trusting the gateway when it does.`,
    },
    {
      alert: 'GatewatchGatewayCertificateExpiringSoon',
      expr: `${certSecondsLeft()} < ${criticalDays * DAY}\nand ${certSecondsLeft()} >= 0`,
      for: c.probes.certificate.for,
      severity: 'critical',
      summary: `The certificate an Internet Gateway presents expires within ${criticalDays} days.`,
      description: `Gateway ${gw} presents a certificate that expires in ${left}: replace it now, before agents stop connecting.`,
    },
    {
      alert: 'GatewatchGatewayCertificateExpired',
      expr: `(time() - ${expiry()}) > 0`,
      for: c.probes.certificate.for,
      severity: 'critical',
      summary: 'The certificate an Internet Gateway presents has expired.',
      description: `Gateway ${gw} presents a certificate that expired ${left} ago: agents that check it cannot connect.`,
    },
    {
      alert: 'GatewatchGatewayHandshakeSlow',
      expr: handshakeSlowExpr(c),
      for: c.probes.handshake.for,
      severity: 'warning',
      summary: 'Connecting to an Internet Gateway takes far longer than it usually does.',
      description:
        `Connect and TLS handshake to gateway ${gw} took {{ printf "%.0f" $value }} ms on average over the last ` +
        `${dur(c.probes.handshake.window)}: more than ${c.probes.handshake.multiplier}x its median over the last ` +
        `${dur(c.probes.handshake.baseline)} and more than ${c.probes.handshake.floorSeconds} s. An overloaded gateway or a congested path.`,
    },
  ];
}
