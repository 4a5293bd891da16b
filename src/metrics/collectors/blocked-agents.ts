// access_requests_by_status → gatewatch_access_requests{gateway,status}: the Cloud-enabled Agents Access
// Troubleshooting list (Broadcom ITMS CEM, Part 1 step 2) per reporting gateway and status, every
// gateway × status from 0; and, per gateway, when its oldest pending entry was created — how long an
// agent has waited for an administrator. The same series go out under the deprecated old name
// gatewatch_blocked_agents for one release (DEPRECATED in names.ts).
import { defineCollector, gatewayGrid, SampleSet } from '../collector.js';
import { DEPRECATED, L, M, VALUES } from '../names.js';

const PENDING: (typeof VALUES.status)[number] = 'pending';

export const blockedAgentsCollector = defineCollector({
  name: 'access_requests_by_status',
  families: [
    {
      name: M.accessRequests,
      type: 'gauge',
      help: 'Entries of the gateway\'s Cloud-enabled Agents Access Troubleshooting list (agents it denied and reported), by status: pending, approved, blocked.',
      labels: [L.gateway, L.status],
    },
    {
      name: M.blockedAgentsDeprecated,
      type: 'gauge',
      help: `DEPRECATED: use ${DEPRECATED[M.blockedAgentsDeprecated]} (the same series); this name goes in the next release.`,
      labels: [L.gateway, L.status],
    },
    {
      name: M.accessRequestOldestPending,
      type: 'gauge',
      help: 'When the oldest pending entry of the gateway\'s Access Troubleshooting list was created, Unix seconds; 0 = none pending.',
      labels: [L.gateway],
    },
  ],
  samples(rows, context) {
    // 0, not an absent series, when nothing is pending: every gateway keeps its series (as relay last
    // ping does); ages are computed as time() - (x > 0).
    const oldest = new SampleSet().zeros(M.accessRequestOldestPending, [...context.gateways, ...rows.map((r) => r.Gateway)].map((gateway) => ({ gateway })));
    const earliest = new Map<string, number>();
    for (const r of rows) {
      if (r.Status !== PENDING) continue;
      const t = r.OldestCreatedAt.getTime() / 1000;
      earliest.set(r.Gateway, Math.min(t, earliest.get(r.Gateway) ?? t));
    }
    for (const [gateway, t] of earliest) oldest.set(M.accessRequestOldestPending, { gateway }, t);
    const requests = gatewayGrid(M.accessRequests, L.status, VALUES.status, context, rows, (r) => [r.Status, r.Requests]);
    const deprecated = requests.map((s) => ({ ...s, metric: M.blockedAgentsDeprecated }));
    return [...requests, ...deprecated, ...oldest.list()];
  },
});
