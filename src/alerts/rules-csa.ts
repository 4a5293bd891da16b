// The CSA alert, from the core's BrokerService.log (src/csa): a Cloud Services Appliance that brokered
// requests during the last day has brokered none for half an hour. It is the core-facing failure of
// the Ivanti CSA troubleshooting article: without the broker service connections from the core no
// agent request gets through the appliance, whatever the agents do.
import { L, M } from '../metrics/names.js';
import { dur, type AlertConfig } from './config.js';
import type { Spec } from './spec.js';

const MIN = 60;

/** The thresholds of the CSA alert (kept here, beside the one rule that reads them). */
export const CSA_ALERT = {
  /** A CSA counts as in use when it brokered anything in this window… */
  activeWindow: 24 * 60 * MIN,
  /** …and as silent when it brokered nothing in this one. */
  silentFor: 30 * MIN,
  /** Two evaluations agree: a gatewatch restart's first scrape is not an outage. */
  for: 5 * MIN,
} as const;

export function csaRules(_c: AlertConfig): Spec[] {
  const csa = `{{ $labels.${L.csa} }}`;
  const perCsa = (window: number) => `sum by (${L.csa}) (increase(${M.csaBrokeredRequests}[${dur(window)}]))`;
  return [
    {
      alert: 'GatewatchCsaNoBrokeredRequests',
      // increase() over the last day spans restarts and rotations; the last half hour must add nothing.
      expr: `${perCsa(CSA_ALERT.activeWindow)} > 0 unless ${perCsa(CSA_ALERT.silentFor)} > 0`,
      for: CSA_ALERT.for,
      severity: 'warning',
      summary: 'A Cloud Services Appliance that brokered requests today has brokered none for 30 minutes.',
      description:
        `BrokerService.log on the core has recorded no request brokered through CSA ${csa} for ` +
        `${dur(CSA_ALERT.silentFor)}, after {{ printf "%.0f" $value }} in the last ${dur(CSA_ALERT.activeWindow)}: ` +
        'check the broker service connections from the core (the CSA connection table, the LANDesk Management Gateway service).',
    },
  ];
}
