// The exporter's own health: whether the inventory answered, and per collector whether its latest
// read succeeded (and is fresh), how long it took and how old the data served is; plus the build.
import type { Family, Sample } from './collector.js';
import type { Outcome } from './collection.js';
import { L, M } from './names.js';
import { VERSION } from '../version.js';

export const SELF_FAMILIES: readonly Family[] = [
  { name: M.up, type: 'gauge', help: '1 when the latest background refresh reached the inventory; 0 when it could not (unreachable, connect or lock timeout) or none has ended yet.', labels: [] },
  { name: M.collectorDuration, type: 'gauge', help: 'How long the collector\'s latest background read of its dataset took, seconds.', labels: [L.collector] },
  { name: M.collectorSuccess, type: 'gauge', help: '1 when the collector\'s latest read succeeded and is fresh; 0 leaves its metrics out of this scrape.', labels: [L.collector] },
  {
    name: M.collectorLastSuccess,
    type: 'gauge',
    help: 'When the data the collector serves was read (its cache age is time() minus this), Unix seconds; 0 = never.',
    labels: [L.collector],
  },
  { name: M.buildInfo, type: 'gauge', help: 'The gatewatch version serving these metrics; always 1.', labels: [L.version] },
];

export function selfSamples(outcomes: readonly Outcome[], up: boolean): Sample[] {
  const out: Sample[] = [
    { metric: M.up, labels: {}, value: up ? 1 : 0 },
    { metric: M.buildInfo, labels: { version: VERSION }, value: 1 },
  ];
  for (const o of outcomes) {
    const labels = { collector: o.collector };
    out.push(
      { metric: M.collectorDuration, labels, value: o.durationSeconds },
      { metric: M.collectorSuccess, labels, value: o.success ? 1 : 0 },
      { metric: M.collectorLastSuccess, labels, value: o.lastSuccessAt === undefined ? 0 : o.lastSuccessAt / 1000 },
    );
  }
  return out;
}
