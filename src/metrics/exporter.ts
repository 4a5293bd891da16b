// The Prometheus exporter behind GET /metrics. Each instance has its own prom-client Registry (the
// global one would mix instances, and tests run several). Families are declared once; their collect()
// awaits the shared snapshot and writes absolute values, so nothing survives between scrapes but the
// collection's cache.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Inventory } from '../inventory/inventory.js';
import { Collection, type CollectionOptions } from './collection.js';
import type { Family, Sample } from './collector.js';
import { COLLECTORS } from './collectors/index.js';
import { graphqlRequestMetrics } from './requests.js';
import { SELF_FAMILIES } from './self.js';

export type ExporterOptions = CollectionOptions;

export interface Exporter {
  /** The exposition's content type (Prometheus text format 0.0.4). */
  readonly contentType: string;
  readonly registry: Registry;
  /** The exposition text of one scrape. Never rejects over the inventory: failed collectors are left out. */
  metrics(): Promise<string>;
  /** Records one /graphql request that ended. */
  observeGraphQL(ok: boolean, seconds: number): void;
}

export function createExporter(inventory: Inventory, options: ExporterOptions = {}): Exporter {
  const registry = new Registry();
  const collection = new Collection(inventory, COLLECTORS, options);
  for (const family of [...COLLECTORS.flatMap((c) => c.families), ...SELF_FAMILIES]) register(registry, family, collection);
  const requests = graphqlRequestMetrics(registry);
  // The process's own memory, CPU, heap and event-loop lag (PROCESS in names.ts), on this registry only.
  collectDefaultMetrics({ register: registry });
  return {
    contentType: registry.contentType,
    registry,
    // Every family's collect() starts synchronously inside registry.metrics(), so one scrape takes
    // one snapshot even with a cache interval of 0.
    metrics: () => registry.metrics(),
    observeGraphQL: (ok, seconds) => requests.observe(ok, seconds),
  };
}

function register(registry: Registry, f: Family, collection: Collection): void {
  const config = { name: f.name, help: f.help, labelNames: f.labels, registers: [registry] };
  const fill = async (metric: Gauge | Counter, write: (s: Sample) => void): Promise<void> => {
    const values = (await collection.snapshot()).samples.get(f.name) ?? [];
    metric.reset();
    // reset() leaves an unlabelled family at 0; a failed collector's family must be absent, not 0.
    if (!f.labels.length && !values.length) metric.remove({});
    for (const s of values) write(s);
  };
  // A total read from the inventory is written as reset + inc by the whole value: it keeps TYPE counter.
  if (f.type === 'counter') new Counter({ ...config, collect() { return fill(this, (s) => this.inc(s.labels, s.value)); } });
  else new Gauge({ ...config, collect() { return fill(this, (s) => this.set(s.labels, s.value)); } });
}
