// What a promtool case is, and the series and label helpers the case files (cases-*.ts) share.
import { L } from '../metrics/names.js';
import { defaultConfig } from './config.js';
import { sel } from './spec.js';

export type Labels = Record<string, string>;

export interface InputSeries {
  series: string;
  values: string;
}

export interface AlertCase {
  alert: string;
  /** What the case shows, in a few words (the promtool test group's name). */
  name: string;
  series: InputSeries[];
  /** When to look, e.g. `185m30s`. */
  at: string;
  /** The alerts expected to be firing then (their expression's labels and value); [] = must not fire. */
  fires: Array<{ labels: Labels; value: number }>;
}

export function series(metric: string, labels: Labels, values: string): InputSeries {
  return { series: sel(metric, ...Object.entries(labels).map(([k, v]) => `${k}="${v}"`)), values };
}

export const gw = (gateway: string, extra: Labels = {}): Labels => ({ [L.gateway]: gateway, ...extra });
export const relay = { [L.relay]: 'relay-01' };
export const collector = { [L.collector]: 'gateways' };
export const rollback = (gateway: string) => gw(gateway, { [L.reason]: 'registration_not_found' });
export const skew = (gateway: string) => gw(gateway, { [L.reason]: 'time_skew' });
export const { upMetric, jobLabel, job } = defaultConfig.scrape;
export const target = { [jobLabel]: job, instance: 'gatewatch:4000' };

