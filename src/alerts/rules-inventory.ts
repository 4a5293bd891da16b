// gatewatch's own alerts: the inventory unreachable or unscraped, a collector's data stale, a
// collector that never read its dataset.
import { L, M } from '../metrics/names.js';
import { dur, type AlertConfig } from './config.js';
import { ageOf, sel, type Spec } from './spec.js';

export function inventoryRules(c: AlertConfig): Spec[] {
  const { upMetric, jobLabel, job } = c.scrape;
  const scrapeUp = sel(upMetric, `${jobLabel}="${job}"`);
  const age = ageOf(M.collectorLastSuccess);
  return [
    {
      alert: 'GatewatchInventoryDown',
      expr: `${M.up} == 0\nor ${scrapeUp} == 0\nor absent(${scrapeUp})`,
      for: c.inventoryDownFor,
      severity: 'critical',
      summary: 'gatewatch cannot read the inventory, or Prometheus cannot scrape gatewatch.',
      description:
        `gatewatch (${jobLabel} {{ $labels.${jobLabel} }}) is down, unscraped or cannot reach the CMDB; ` +
        'every other gatewatch alert is blind until it is back.',
    },
    {
      alert: 'GatewatchInventoryStale',
      expr: `${age} > ${c.stale.after}\nor (${age} and ${M.collectorSuccess} == 0)`,
      for: c.stale.for,
      severity: 'warning',
      summary: 'A gatewatch collector keeps failing or has not succeeded for a long time, so its metrics are stale.',
      description:
        `Collector {{ $labels.${L.collector} }} last succeeded {{ $value | humanizeDuration }} ago ` +
        `(failing for ${dur(c.stale.for)}, or no success for over ${dur(c.stale.after)}).`,
    },
    {
      // A collector that never succeeded exports last success 0: GatewatchInventoryStale leaves it out
      // (its age would read 55 years), so it has its own alert.
      alert: 'GatewatchCollectorNeverSucceeded',
      expr: `${M.collectorSuccess} == 0\nunless ${M.collectorLastSuccess} > 0`,
      for: c.stale.for,
      severity: 'warning',
      summary: 'A gatewatch collector has not read its dataset once since gatewatch started, so its metrics are missing.',
      description:
        `Collector {{ $labels.${L.collector} }} has failed on every read since gatewatch started (for over ` +
        `${dur(c.stale.for)}): its metrics are absent from every scrape and the alerts reading them are blind.`,
    },
  ];
}

