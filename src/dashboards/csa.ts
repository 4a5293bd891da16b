// The "CSA activity" row of the Gateways dashboard, from the core's BrokerService.log (src/csa):
// requests brokered per CSA and feature, how long since each CSA's last request, and the distinct
// devices each brokered for in the last hour. Empty unless gatewatch reads a broker log.
import { L, M } from '../metrics/names.js';
import { CSA_ALERT } from '../alerts/rules-csa.js';
import { limited, query, runbookLinks, stacked, steps, timeseries, type Panel } from './common.js';
import { COLOURS, HEIGHT } from './config.js';
import { PER_MINUTE, legend, perMinute } from './panels.js';

const ALERT = 'GatewatchCsaNoBrokeredRequests';

export function csaRow(): [height: number, panels: Panel[]] {
  const requests = stacked(
    'CSA activity: requests brokered',
    'Requests per minute the core brokered through each Cloud Services Appliance, by feature (BrokerService.log).',
    query(perMinute(M.csaBrokeredRequests, [L.csa, L.feature]), legend(L.csa, L.feature)),
  )
    .unit(PER_MINUTE)
    .links(runbookLinks(ALERT))
    .span(10);
  const age = limited(
    'CSA: time since the last request',
    `Seconds since BrokerService.log last recorded a request through each CSA; past the dashed line (${CSA_ALERT.silentFor / 60} minutes) a CSA in use alerts.`,
    steps(COLOURS.ok, [CSA_ALERT.silentFor, COLOURS.warn]),
    query(`time() - (${M.csaLastRequest} > 0)`, legend(L.csa)),
  )
    .unit('s')
    .links(runbookLinks(ALERT))
    .span(7);
  const devices = timeseries(
    'CSA: devices in the last hour',
    'Distinct client devices each CSA brokered a request for in the hour before each point.',
    query(`sum by (${L.csa}) (${M.csaDevicesLastHour})`, legend(L.csa)),
  )
    .links(runbookLinks(ALERT))
    .span(7);
  return [HEIGHT.graph, [requests, age, devices]];
}
