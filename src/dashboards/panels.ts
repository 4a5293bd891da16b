// Panels more than one dashboard shows: the Access Troubleshooting list and the broker-connection limit,
// given the selector that narrows them to a dashboard's gateways.
import { L, M } from '../metrics/names.js';
import { query, runbookLinks, stacked, steps } from './common.js';
import { COLOURS, LIMITS, RANGE } from './config.js';

/** `metric{matchers}`, or the bare metric without any. */
export const select = (metric: string, ...matchers: string[]) => (matchers.length ? `${metric}{${matchers.join(', ')}}` : metric);

/** Grafana's legend for these labels: `{{gateway}} {{level}}`. */
export const legend = (...labels: string[]) => labels.map((l) => `{{${l}}}`).join(' ');

/** Increase of a counter per minute, summed by `by`. */
export const perMinute = (counter: string, by: string[]) => `60 * sum by (${by.join(', ')}) (rate(${counter}[${RANGE}]))`;
export const PER_MINUTE = 'suffix: /min';

/** Red below the broker connections a core should hold to a gateway, green from there. */
export const brokerSteps = () => steps(COLOURS.bad, [LIMITS.minBrokerConnectionsPerCore, COLOURS.ok]);

export function accessList(...matchers: string[]) {
  return stacked(
    'Access Troubleshooting list',
    'Denied agents on the Access Troubleshooting page per gateway and status; pending ones wait for an administrator to approve or block them.',
    query(`sum by (${L.gateway}, ${L.status}) (${select(M.accessRequests, ...matchers)})`, legend(L.gateway, L.status)),
  ).links(runbookLinks('GatewatchAgentsAwaitingApproval'));
}
