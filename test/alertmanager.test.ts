// The committed Alertmanager config (deploy/alertmanager/alertmanager.yml, generated from
// src/alerts/inhibit.ts) in a real Alertmanager on 127.0.0.1: an offline gateway silences its own
// dependent alerts (its agents going silent included) and no other gateway's; GatewatchInventoryDown silences every other alert but the gateway probes' (blackbox_exporter's).
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { ALERTMANAGER_FILE } from '../src/alerts/alertmanager.js';
import { startAlertmanager, type Alertmanager, type AmAlert } from './helpers/alertmanager.js';
import { waitFor } from './helpers/prometheus.js';

const config = fileURLToPath(new URL(`../${ALERTMANAGER_FILE}`, import.meta.url));
let am: Alertmanager | undefined;

before(async () => {
  am = await startAlertmanager(config);
});
after(async () => {
  await am?.stop();
});

const alert = (alertname: string, labels: Record<string, string> = {}) => ({ alertname, severity: 'critical', ...labels });
const key = (a: AmAlert) => [a.labels.alertname, a.labels.gateway ?? '', a.labels.core ?? ''].join('/');

/** Waits until Alertmanager reports exactly these states (key → state) for the alerts it holds. */
async function states(expected: Record<string, AmAlert['status']['state']>) {
  return waitFor(
    `Alertmanager to report ${JSON.stringify(expected)}`,
    async () => {
      const got = Object.fromEntries((await am!.alerts()).map((a) => [key(a), a.status.state]));
      return JSON.stringify(Object.keys(got).sort().map((k) => [k, got[k]])) === JSON.stringify(Object.keys(expected).sort().map((k) => [k, expected[k]])) && got;
    },
    { timeoutMs: 30_000, intervalMs: 200, context: async () => `alerts: ${JSON.stringify(await am!.alerts())}\n${am!.log()}` },
  );
}

test('a gateway offline silences that gateway\'s dependent alerts only; inventory down silences everything else but the probes', async () => {
  await am!.post([
    alert('GatewatchBrokerConnectionsLow', { gateway: 'igw-1', core: 'ns-1' }),
    alert('GatewatchBrokerConnectionsLow', { gateway: 'igw-2', core: 'ns-1' }),
    alert('GatewatchGatewayNotRegistered', { gateway: 'igw-1' }),
    alert('GatewatchRelayOffline', { relay: 'relay-01', severity: 'warning' }),
    alert('GatewatchGatewayAgentsGoingSilent', { gateway: 'igw-1', severity: 'warning' }),
    alert('GatewatchGatewayAgentsGoingSilent', { gateway: 'igw-2', severity: 'warning' }),
  ]);
  await states({
    'GatewatchBrokerConnectionsLow/igw-1/ns-1': 'active',
    'GatewatchBrokerConnectionsLow/igw-2/ns-1': 'active',
    'GatewatchGatewayNotRegistered/igw-1/': 'active',
    'GatewatchRelayOffline//': 'active',
    'GatewatchGatewayAgentsGoingSilent/igw-1/': 'active',
    'GatewatchGatewayAgentsGoingSilent/igw-2/': 'active',
  });

  await am!.post([alert('GatewatchGatewayOffline', { gateway: 'igw-1', job: 'gatewatch', instance: 'gatewatch:4000' })]);
  await states({
    'GatewatchGatewayOffline/igw-1/': 'active',
    'GatewatchBrokerConnectionsLow/igw-1/ns-1': 'suppressed',
    'GatewatchGatewayNotRegistered/igw-1/': 'suppressed',
    'GatewatchBrokerConnectionsLow/igw-2/ns-1': 'active',
    'GatewatchRelayOffline//': 'active',
    // The agents behind an offline gateway go silent because it is offline; another gateway's do not.
    'GatewatchGatewayAgentsGoingSilent/igw-1/': 'suppressed',
    'GatewatchGatewayAgentsGoingSilent/igw-2/': 'active',
  });
  const inhibited = (await am!.alerts()).find((a) => key(a) === 'GatewatchGatewayNotRegistered/igw-1/')!;
  assert.equal(inhibited.status.inhibitedBy.length, 1, 'inhibited, not silenced');
  assert.deepEqual(inhibited.status.silencedBy, []);

  await am!.post([alert('GatewatchInventoryDown', { job: 'gatewatch', instance: 'gatewatch:4000' })]);
  const inventoryDown = {
    'GatewatchInventoryDown//': 'active',
    'GatewatchGatewayOffline/igw-1/': 'suppressed',
    'GatewatchBrokerConnectionsLow/igw-1/ns-1': 'suppressed',
    'GatewatchGatewayNotRegistered/igw-1/': 'suppressed',
    'GatewatchBrokerConnectionsLow/igw-2/ns-1': 'suppressed',
    'GatewatchRelayOffline//': 'suppressed',
    'GatewatchGatewayAgentsGoingSilent/igw-1/': 'suppressed',
    'GatewatchGatewayAgentsGoingSilent/igw-2/': 'suppressed',
  } as const;
  await states(inventoryDown);

  // A gateway's expired certificate comes from blackbox_exporter's probe, not from the inventory:
  // gatewatch being blind does not make it less true, so inventory down leaves it active.
  await am!.post([alert('GatewatchGatewayCertificateExpired', { gateway: 'igw-3', job: 'gateway-probes', instance: 'igw-3.corp.example:443' })]);
  await states({ ...inventoryDown, 'GatewatchGatewayCertificateExpired/igw-3/': 'active' });
});
