// broker_connections → gatewatch_gateway_broker_connections{gateway,core}: the connections each core
// server opens to a gateway (Ivanti's CSA troubleshooting guide: healthy at
// THRESHOLDS.minBrokerConnectionsPerCore). The worst case is a core with no connections at all — no
// row — so every gateway × every core the dataset names anywhere is exported, at 0 where the row is
// missing, and GatewatchBrokerConnectionsLow sees it.
import { gatewayGrid, defineCollector } from '../collector.js';
import { L, M } from '../names.js';

export const brokerConnectionsCollector = defineCollector({
  name: 'broker_connections',
  families: [
    {
      name: M.gatewayBrokerConnections,
      type: 'gauge',
      help: 'Broker service connections from a core server to the gateway (healthy: at least 5 per core).',
      labels: [L.gateway, L.core],
    },
  ],
  samples(rows, context) {
    const cores = [...new Set(rows.map((r) => r.Core))];
    return gatewayGrid(M.gatewayBrokerConnections, L.core, cores, context, rows, (r) => [r.Core, r.Connections]);
  },
});
