// GET /sd/gateways: the Internet Gateways as Prometheus HTTP service discovery (http_sd_configs), for
// blackbox_exporter to probe (deploy/prometheus/prometheus.yml, job gateway-probes). Targets come from
// the refresher's latest reads of gateway_endpoints (the real ITMS table) and gateways (gatewatch's
// contract table, when there is one), plus --gateway-targets; an SD refresh never runs SQL.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Row } from '../inventory/datasets.js';
import { L } from '../metrics/names.js';
import type { Snapshots } from '../metrics/snapshots.js';

export const SD_GATEWAYS_PATH = '/sd/gateways';

/** A gateway to probe: its `gateway` label value and the address blackbox_exporter dials. */
export interface GatewayTarget {
  gateway: string;
  host: string;
  port: number;
}

/** One http_sd target group, as Prometheus reads it. */
export interface SdGroup {
  targets: string[];
  labels: Record<string, string>;
}

export interface SdSource extends Snapshots {
  /** Resolves when the first background round has landed (or after its bounded wait). */
  ready(): Promise<void>;
}

const address = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * The target groups, one per address (sorted, so a refresh that changes nothing reads the same), or
 * undefined when no source answered: then Prometheus had better keep the list it has.
 */
export function gatewaySdGroups(snapshots: Snapshots, configured: readonly GatewayTarget[]): SdGroup[] | undefined {
  const endpoints = snapshots.read('gateway_endpoints')?.rows as Row<'gateway_endpoints'>[] | undefined;
  const gateways = snapshots.read('gateways')?.rows as Row<'gateways'>[] | undefined;
  if (!endpoints && !gateways && !configured.length) return undefined;
  const byAddress = new Map<string, string>();
  // The gateway's name in the CMDB is the host agents dial, and the label the exporter's families carry.
  for (const r of endpoints ?? []) byAddress.set(address(r.Gateway, r.Port), r.Gateway);
  for (const r of gateways ?? []) byAddress.set(address(r.Name, r.Port), r.Name);
  // A setting names what the CMDB cannot (a CSA, an estate without the table): it wins on an address.
  for (const t of configured) byAddress.set(address(t.host, t.port), t.gateway);
  return [...byAddress]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([target, gateway]) => ({ targets: [target], labels: { [L.gateway]: gateway } }));
}

/** Answers GET /sd/gateways once the caller has checked the token (the same as /metrics). */
export async function serveGatewaySd(req: IncomingMessage, res: ServerResponse, source: SdSource, configured: readonly GatewayTarget[]): Promise<void> {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(405, { error: 'use GET' });
  }
  // Only a server's first seconds wait, as its first scrape does.
  await source.ready();
  const groups = gatewaySdGroups(source, configured);
  // A failed refresh makes Prometheus keep its last targets: better than dropping every probe while
  // the CMDB is away.
  if (!groups) return send(503, { error: 'no gateway list yet: the gateway_endpoints and gateways datasets have no fresh read, and --gateway-targets is empty' });
  send(200, groups);
}
