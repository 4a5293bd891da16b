// What a collector is: one dataset, the metric families it feeds, and a pure function from that
// dataset's rows to samples. Collectors never run SQL themselves — refresher.ts reads each dataset
// once per interval through the Inventory — so they are trivially testable and can't leak a driver.
import type { DatasetName, Params, Row } from '../inventory/datasets.js';
import type { Inventory } from '../inventory/inventory.js';
import type { LivenessThresholds } from '../inventory/liveness.js';
import type { CollectorName, LabelName, MetricName } from './names.js';

export type Labels = Partial<Record<LabelName, string>>;

export interface Sample {
  metric: MetricName;
  labels: Labels;
  value: number;
}

/** One metric family as the registry declares it (HELP, TYPE, label names). */
export interface Family {
  name: MetricName;
  type: 'gauge' | 'counter';
  help: string;
  labels: readonly LabelName[];
}

/** Known at collect time and shared by all collectors of one snapshot. */
export interface CollectContext {
  /** Gateway names from the gateways dataset, so per-gateway series exist at 0 for each gateway. */
  gateways: readonly string[];
}

export interface Collector<N extends DatasetName & CollectorName = DatasetName & CollectorName> {
  /** The dataset it reads, which is also its `collector` label value. */
  readonly name: N;
  readonly families: readonly Family[];
  // Method syntax on purpose: collectors of different datasets then fit one Collector[] list.
  samples(rows: Row<N>[], context: CollectContext): Sample[];
  /** The dataset's parameters for a read starting at `now`; none (all NULL) when left out. */
  params?(at: { now: Date; liveness: LivenessThresholds }): Params<N>;
  /**
   * Its refresh interval when not the refresher's default (seconds; `--metrics-refresh-datasets`
   * still overrides it): for aggregates too dear to run every 15 s on a large fleet.
   */
  readonly intervalSeconds?: number;
  /** A read other than the dataset's rows (statements generated over it: the diagnosis's GUID slices). */
  read?(inventory: Inventory, at: { now: Date; liveness: LivenessThresholds }): Promise<unknown[]>;
}

/** Identity, so each collector's rows get the row type of its dataset. */
export function defineCollector<N extends DatasetName & CollectorName>(c: Collector<N>): Collector<N> {
  return c;
}

export const bit = (b: boolean): number => (b ? 1 : 0);

/** Every combination of the given label values (the zero-filled grid of a family). */
export function grid(axes: Partial<Record<LabelName, readonly string[]>>): Labels[] {
  let out: Labels[] = [{}];
  for (const [label, values] of Object.entries(axes) as [LabelName, readonly string[]][]) {
    const unique = [...new Set(values)];
    out = out.flatMap((l) => unique.map((v) => ({ ...l, [label]: v })));
  }
  return out;
}

/**
 * Samples keyed by metric and label set: rows that land on the same series add up (a view may return
 * one gateway twice), and zero-filled series are overwritten by real values, never duplicated.
 */
export class SampleSet {
  private readonly byKey = new Map<string, Sample>();

  private static key(metric: MetricName, labels: Labels): string {
    return `${metric}${JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
  }

  set(metric: MetricName, labels: Labels, value: number): this {
    this.byKey.set(SampleSet.key(metric, labels), { metric, labels, value });
    return this;
  }

  add(metric: MetricName, labels: Labels, value: number): this {
    const prior = this.byKey.get(SampleSet.key(metric, labels));
    return this.set(metric, labels, (prior?.value ?? 0) + value);
  }

  /** Each label set at 0 unless a value is already there. */
  zeros(metric: MetricName, labelSets: readonly Labels[]): this {
    for (const labels of labelSets) this.add(metric, labels, 0);
    return this;
  }

  list(): Sample[] {
    return [...this.byKey.values()];
  }
}

/**
 * A family keyed by gateway and one enumerated label: every gateway (named by the gateways dataset or
 * by a row) × every value at 0, then each row added to its series.
 */
export function gatewayGrid<R extends { Gateway: string }>(
  metric: MetricName,
  label: LabelName,
  values: readonly string[],
  { gateways }: CollectContext,
  rows: readonly R[],
  read: (row: R) => [value: string, count: number],
): Sample[] {
  const s = new SampleSet().zeros(metric, grid({ gateway: [...gateways, ...rows.map((r) => r.Gateway)], [label]: values }));
  for (const r of rows) {
    const [v, n] = read(r);
    s.add(metric, { gateway: r.Gateway, [label]: v }, n);
  }
  return s.list();
}
