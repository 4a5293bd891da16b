// promtool cases of the gateway probe alerts (rules-probes.ts). Series are blackbox_exporter's, as the
// gateway-probes job labels them; promtool's clock starts at 0, so an expiry of N is N seconds after it.
import { BLACKBOX, BLACKBOX_JOB, L, M } from '../metrics/names.js';
import { series, type AlertCase, type Labels } from './case-kit.js';

const DAY = 86400;
const target: Labels = { job: BLACKBOX_JOB, instance: 'igw-1.corp.example:443', [L.gateway]: 'igw-1.corp.example' };
const alertLabels: Labels = { instance: target.instance!, [L.gateway]: target[L.gateway]! };
const up = (values: string) => series(BLACKBOX.success, target, values);
const late = (values: string) => series(M.gatewaySilentAgents, { [L.gateway]: target[L.gateway]!, [L.state]: 'late' }, values);
const expiry = (at: number) => [up('1x10'), series(BLACKBOX.certExpiry, target, `${at}x10`)];
const duration = (values: string) => series(BLACKBOX.duration, target, values);
const AT = 330; // 5m30s, when the certificate cases look

export function probeCases(): AlertCase[] {
  const unreachable = 'GatewatchGatewayUnreachable';
  return [
    { alert: unreachable, name: 'probes failing 10m, agents behind it gone late', series: [up('0x10'), late('12x10')], at: '7m30s', fires: [{ labels: { ...alertLabels, agents: 'silent' }, value: 0 }] },
    { alert: unreachable, name: 'probes failing 10m, agents behind it still reporting', series: [up('0x10'), late('0x10')], at: '7m30s', fires: [{ labels: { ...alertLabels, agents: 'reporting' }, value: 0 }] },
    { alert: unreachable, name: 'probes failing 10m, a gateway gatewatch knows no agents of', series: [up('0x10')], at: '7m30s', fires: [{ labels: { ...alertLabels, agents: 'unknown' }, value: 0 }] },
    { alert: unreachable, name: 'one failed probe among good ones', series: [up('1x5 0 1x5'), late('0x11')], at: '9m30s', fires: [] },

    { alert: 'GatewatchGatewayCertificateExpiring', name: 'certificate expiring in 10 days', series: expiry(10 * DAY), at: '5m30s', fires: [{ labels: alertLabels, value: 10 * DAY - AT }] },
    { alert: 'GatewatchGatewayCertificateExpiring', name: 'certificate valid for 30 days', series: expiry(30 * DAY), at: '5m30s', fires: [] },
    { alert: 'GatewatchGatewayCertificateExpiring', name: 'certificate expiring in 2 days: critical, not also the warning', series: expiry(2 * DAY), at: '5m30s', fires: [] },
    { alert: 'GatewatchGatewayCertificateExpiringSoon', name: 'certificate expiring in 2 days', series: expiry(2 * DAY), at: '5m30s', fires: [{ labels: alertLabels, value: 2 * DAY - AT }] },
    { alert: 'GatewatchGatewayCertificateExpiringSoon', name: 'certificate expiring in 10 days: only the warning', series: expiry(10 * DAY), at: '5m30s', fires: [] },
    { alert: 'GatewatchGatewayCertificateExpired', name: 'certificate expired 100 s after the start', series: expiry(100), at: '5m30s', fires: [{ labels: alertLabels, value: AT - 100 }] },
    { alert: 'GatewatchGatewayCertificateExpired', name: 'certificate expiring in 2 days', series: expiry(2 * DAY), at: '5m30s', fires: [] },

    {
      alert: 'GatewatchGatewayHandshakeSlow',
      name: '50 ms for 2h, then 2 s for 30m',
      series: [up('1x150'), duration('0.05x120 2x30')],
      at: '150m30s',
      fires: [{ labels: { ...target }, value: 2000 }],
    },
    { alert: 'GatewatchGatewayHandshakeSlow', name: 'a gateway that always takes 2 s', series: [up('1x150'), duration('2x150')], at: '150m30s', fires: [] },
    { alert: 'GatewatchGatewayHandshakeSlow', name: '20 ms to 80 ms: four times slower, under the floor', series: [up('1x150'), duration('0.02x120 0.08x30')], at: '150m30s', fires: [] },
  ];
}
