// gateway_endpoints → gatewatch_gateway_listed_computers{gateway}: computers whose Internet Gateway list
// names the gateway, current or not (the real ITMS table, so it works on a CMDB without gatewatch's
// contract tables). Its rows are also what /sd/gateways serves Prometheus (src/http/sd-gateways.ts).
import { defineCollector, SampleSet } from '../collector.js';
import { L, M } from '../names.js';

export const gatewayEndpointsCollector = defineCollector({
  name: 'gateway_endpoints',
  families: [
    {
      name: M.gatewayListedComputers,
      type: 'gauge',
      help: "Computers whose Internet Gateway list names this gateway (Inv_AeX_AC_InternetGatewayDetails), current or not.",
      labels: [L.gateway],
    },
  ],
  samples(rows) {
    // A gateway listed on two ports is one gateway: its computers add up.
    const s = new SampleSet();
    for (const r of rows) s.add(M.gatewayListedComputers, { gateway: r.Gateway }, r.Computers);
    return s.list();
  },
});
