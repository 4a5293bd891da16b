// The Prometheus exporter behind GET /metrics. Each instance has its own prom-client Registry (the
// global one would mix instances, and tests run several). Families are declared once; their collect()
// writes absolute values from the latest background snapshot, so a scrape never runs SQL: the
// Refresher reads the inventory on its own schedule, whoever scrapes.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { Collection } from './collection.js';
import type { Family, Sample } from './collector.js';
import { PROCESS_TOTAL_GAUGES } from './names.js';
import { graphqlRequestMetrics } from './requests.js';
import type { Refresher } from './refresher.js';
import { SELF_FAMILIES } from './self.js';

export type { RefreshOptions as ExporterOptions } from './refresher.js';

export interface Exporter {
  /** The exposition's content type (Prometheus text format 0.0.4). */
  readonly contentType: string;
  readonly registry: Registry;
  /** The exposition text of one scrape. Never rejects over the inventory: failed collectors are left out. */
  metrics(): Promise<string>;
  /** Records one /graphql request that ended. */
  observeGraphQL(ok: boolean, seconds: number): void;
}

/** Families from beyond the inventory (the CSA broker log), registered on each exporter's registry. */
export interface MetricSource {
  register(registry: Registry): void;
}

/** The exporter over a refresher (one per server, shared with GraphQL; its owner starts and closes it). */
export function createExporter(refresher: Refresher, sources: readonly MetricSource[] = []): Exporter {
  const registry = new Registry();
  const collection = new Collection(refresher);
  for (const family of [...refresher.collectors.flatMap((c) => c.families), ...SELF_FAMILIES]) register(registry, family, refresher, collection);
  for (const source of sources) source.register(registry);
  const requests = graphqlRequestMetrics(registry);
  // The process's own memory, CPU, heap and event-loop lag (PROCESS in names.ts), on this registry only.
  collectDefaultMetrics({ register: registry });
  // prom-client names three gauges *_total, which promtool rejects (_total is for counters); their
  // per-type twins without the suffix stay (nodejs_active_handles{type}…), and sum() gives the total.
  for (const name of PROCESS_TOTAL_GAUGES) registry.removeSingleMetric(name);
  return {
    contentType: registry.contentType,
    registry,
    metrics: () => registry.metrics(),
    observeGraphQL: (ok, seconds) => requests.observe(ok, seconds),
  };
}

function register(registry: Registry, f: Family, refresher: Refresher, collection: Collection): void {
  const config = { name: f.name, help: f.help, labelNames: f.labels, registers: [registry] };
  const fill = async (metric: Gauge | Counter, write: (s: Sample) => void): Promise<void> => {
    // Only the first scrape after start can wait here, and only for the first round (bounded).
    await refresher.ready();
    const values = collection.snapshot().samples.get(f.name) ?? [];
    metric.reset();
    // reset() leaves an unlabelled family at 0; a failed collector's family must be absent, not 0.
    if (!f.labels.length && !values.length) metric.remove({});
    for (const s of values) write(s);
  };
  // A total read from the inventory is written as reset + inc by the whole value: it keeps TYPE counter.
  if (f.type === 'counter') new Counter({ ...config, collect() { return fill(this, (s) => this.inc(s.labels, s.value)); } });
  else new Gauge({ ...config, collect() { return fill(this, (s) => this.set(s.labels, s.value)); } });
}
