// gateways → one series per gateway and status flag, the version as an info metric, and the gateway's
// own cumulative count of failed authentications as a counter. Its names also drive zero-filling.
import { bit, defineCollector, SampleSet, type Family } from '../collector.js';
import { L, M } from '../names.js';

const flag = (name: Family['name'], help: string): Family => ({ name, type: 'gauge', help, labels: [L.gateway] });

export const gatewaysCollector = defineCollector({
  name: 'gateways',
  families: [
    { name: M.gatewayInfo, type: 'gauge', help: 'Internet Gateway / Cloud Services Appliance, with its version; always 1.', labels: [L.gateway, L.version] },
    flag(M.gatewayOnline, '1 when the gateway is online.'),
    flag(M.gatewayRegistered, '1 when the gateway is registered with the Notification Server; 0 rejects every ephemeral certificate.'),
    flag(M.gatewayTroubleshootingMode, '1 when Troubleshooting mode is on, so denied agents are reported for approval.'),
    flag(M.gatewayEphemeralAuthEnabled, '1 when the gateway accepts ephemeral agent certificates.'),
    { name: M.gatewayAuthFailures, type: 'counter', help: 'Failed agent authentications the gateway reports (cumulative).', labels: [L.gateway] },
  ],
  samples(rows) {
    const s = new SampleSet();
    for (const r of rows) {
      const gateway = r.Name;
      s.set(M.gatewayInfo, { gateway, version: r.Version }, 1)
        .set(M.gatewayOnline, { gateway }, bit(r.Online))
        .set(M.gatewayRegistered, { gateway }, bit(r.Registered))
        .set(M.gatewayTroubleshootingMode, { gateway }, bit(r.TroubleshootingMode))
        .set(M.gatewayEphemeralAuthEnabled, { gateway }, bit(r.EphemeralAuthEnabled))
        .set(M.gatewayAuthFailures, { gateway }, r.AuthFailures);
    }
    return s.list();
  },
});
