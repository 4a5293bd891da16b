// gateway_connections → gatewatch_gateway_connections{gateway,level}: every gateway × every level of the
// CSA's "Gateway service status", so a level that empties out reads 0 instead of vanishing.
import { defineCollector, gatewayGrid } from '../collector.js';
import { L, M, VALUES } from '../names.js';

export const gatewayConnectionsCollector = defineCollector({
  name: 'gateway_connections',
  families: [
    {
      name: M.gatewayConnections,
      type: 'gauge',
      help: 'Current gateway connections by level (broker, client, admin, console, unprivileged).',
      labels: [L.gateway, L.level],
    },
  ],
  samples: (rows, context) => gatewayGrid(M.gatewayConnections, L.level, VALUES.level, context, rows, (r) => [r.Level, r.Connections]),
});
