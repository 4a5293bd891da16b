// access_requests_by_status → gatewatch_blocked_agents{gateway,status}: the Access Troubleshooting list
// (seed 001) per reporting gateway and status, every gateway × status from 0.
import { defineCollector, gatewayGrid } from '../collector.js';
import { L, M, VALUES } from '../names.js';

export const blockedAgentsCollector = defineCollector({
  name: 'access_requests_by_status',
  families: [
    {
      name: M.blockedAgents,
      type: 'gauge',
      help: 'Agents a gateway denied and reported for approval, by status (pending, approved, blocked).',
      labels: [L.gateway, L.status],
    },
  ],
  samples: (rows, context) => gatewayGrid(M.blockedAgents, L.status, VALUES.status, context, rows, (r) => [r.Status, r.Requests]),
});
