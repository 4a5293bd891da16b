// broker_connections → gatewatch_gateway_broker_connections{gateway,core}: the connections each core
// server opens to a gateway (seed 000: healthy at THRESHOLDS.minBrokerConnectionsPerCore). Cores are
// not enumerable, so only the pairs the inventory lists are exported.
import { defineCollector, SampleSet } from '../collector.js';
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
  samples(rows) {
    const s = new SampleSet();
    for (const r of rows) s.add(M.gatewayBrokerConnections, { gateway: r.Gateway, core: r.Core }, r.Connections);
    return s.list();
  },
});
