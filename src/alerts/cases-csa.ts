// promtool cases for the CSA alert: a CSA that goes quiet after a busy morning fires; one still
// brokering, one idle all day and one quiet for less than half an hour do not.
import { L, M } from '../metrics/names.js';
import { series, type AlertCase } from './case-kit.js';

const csa = (name: string, feature = 'Inventory') => ({ [L.csa]: name, [L.feature]: feature });
const requests = (name: string, values: string, feature?: string) => series(M.csaBrokeredRequests, csa(name, feature), values);

export function csaCases(): AlertCase[] {
  return [
    {
      alert: 'GatewatchCsaNoBrokeredRequests',
      name: 'brokering for an hour, then nothing for 40 minutes',
      // One request a minute for 60 minutes, then flat.
      series: [requests('csa1.corp', '0+1x60 60x40')],
      at: '100m30s',
      fires: [{ labels: { [L.csa]: 'csa1.corp' }, value: 60 }],
    },
    {
      alert: 'GatewatchCsaNoBrokeredRequests',
      name: 'one feature quiet while another still brokers',
      series: [requests('csa1.corp', '0+1x60 60x40'), requests('csa1.corp', '0+1x100', 'Vulscan')],
      at: '100m30s',
      fires: [],
    },
    {
      alert: 'GatewatchCsaNoBrokeredRequests',
      name: 'quiet for 20 minutes only',
      series: [requests('csa1.corp', '0+1x80 80x20')],
      at: '100m30s',
      fires: [],
    },
    {
      alert: 'GatewatchCsaNoBrokeredRequests',
      name: 'a CSA idle all day',
      series: [requests('csa2.corp', '5x100')],
      at: '100m30s',
      fires: [],
    },
  ];
}
