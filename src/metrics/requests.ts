// GraphQL request metrics, the only ones counted in-process rather than read from the inventory:
// requests by outcome, and their duration. Both outcomes exist from the start, at 0.
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Counter, Histogram, type Registry } from 'prom-client';
import { GRAPHQL_STATUS, L, M } from './names.js';

export interface RequestMetrics {
  /** One /graphql request that ended: `ok` false for HTTP status ≥ 400 or a client that went away. */
  observe(ok: boolean, seconds: number): void;
}

export function graphqlRequestMetrics(registry: Registry): RequestMetrics {
  const requests = new Counter({
    name: M.graphqlRequests,
    help: 'GraphQL requests served, by outcome (error: HTTP status 400 or above).',
    labelNames: [L.status],
    registers: [registry],
  });
  for (const status of GRAPHQL_STATUS) requests.inc({ status }, 0);
  const duration = new Histogram({
    name: M.graphqlRequestDuration,
    help: 'Time to answer a GraphQL request, seconds.',
    // Statements time out after 5 s by default; the top buckets show requests near that limit.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    observe(ok, seconds) {
      requests.inc({ status: ok ? 'ok' : 'error' });
      duration.observe(seconds);
    },
  };
}

/** Calls `record` once when the response ends: sent ('finish'), or cut off by the client ('close'). */
export function measureResponse(res: ServerResponse, record: RequestMetrics['observe']): void {
  const started = performance.now();
  let recorded = false;
  // 'finish' fires before the client can read the answer, so a scrape right after it sees the request.
  const done = () => {
    if (recorded) return;
    recorded = true;
    record(res.writableFinished && res.statusCode < 400, (performance.now() - started) / 1000);
  };
  res.once('finish', done).once('close', done);
}
