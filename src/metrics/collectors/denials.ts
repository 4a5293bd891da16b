// denials (since = NULL) → gatewatch_gateway_denials_total{gateway,reason}: the cumulative number of
// denial rows, a counter so rate() shows a CMDB-rollback burst; every gateway × reason from 0.
import { defineCollector, gatewayGrid } from '../collector.js';
import { L, M, VALUES } from '../names.js';

export const denialsCollector = defineCollector({
  name: 'denials',
  families: [
    {
      name: M.gatewayDenials,
      type: 'counter',
      help: 'Agent connections the gateway denied, by reason (cumulative count of recorded denials).',
      labels: [L.gateway, L.reason],
    },
  ],
  samples: (rows, context) => gatewayGrid(M.gatewayDenials, L.reason, VALUES.reason, context, rows, (r) => [r.Reason, r.Denials]),
});
