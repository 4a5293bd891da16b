// What an alert rule is, and the small helpers the rule files build them with: selectors spelled from
// the metric contract, and `rule()`, which adds the for/severity/links every alert carries.
import { L, VALUES, type MetricName } from '../metrics/names.js';
import { dur, runbookUrl, type AlertConfig } from './config.js';

export type Severity = 'critical' | 'warning' | 'info';

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string; runbook_url: string; dashboard_uid: string; dashboard_url: string };
}

export interface RuleGroup {
  name: string;
  rules: AlertRule[];
}

/** An alert as a rule file (rules-*.ts) states it; `rule()` turns it into an AlertRule. */
export interface Spec {
  alert: string;
  expr: string;
  for: number;
  severity: Severity;
  summary: string;
  description: string;
}

type Enumerated = keyof typeof VALUES;

/** `label="value"` for an enumerated label, the value checked against VALUES at compile time. */
export function is<K extends Enumerated & keyof typeof L>(label: K, value: (typeof VALUES)[K][number]): string {
  return `${L[label]}="${value}"`;
}

/** A series selector: `metric{matchers}`. */
export function sel(metric: MetricName | string, ...matchers: string[]): string {
  return matchers.length ? `${metric}{${matchers.join(', ')}}` : metric;
}

/**
 * `$value` as a whole number, for annotations that report a count: increase() extrapolates, and
 * humanize would print "2.274 connections".
 */
export const COUNT = '{{ printf "%.0f" $value }}';

/** `time() - metric` for a Unix-seconds gauge where 0 means never: those series are left out, not 55 years old. */
export function ageOf(metric: MetricName): string {
  return `(time() - (${metric} > 0))`;
}

export function rule(config: AlertConfig, s: Spec, dashboard: keyof AlertConfig['dashboards']): AlertRule {
  const uid = config.dashboards[dashboard];
  return {
    alert: s.alert,
    expr: s.expr,
    for: dur(s.for),
    labels: { severity: s.severity },
    annotations: {
      summary: s.summary,
      description: s.description,
      runbook_url: runbookUrl(config, s.alert),
      dashboard_uid: uid,
      dashboard_url: `${config.grafanaUrl}/d/${uid}`,
    },
  };
}
