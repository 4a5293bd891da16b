// A real Alertmanager (the Debian package prometheus-alertmanager, installed by scripts/ensure-tools.sh)
// on 127.0.0.1, running a given config file, read and fed through its v2 API. It dies with the test the
// way the Prometheus harness's processes do (watchdog shell, exit hooks).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startWatched, waitFor } from './prometheus.js';

export interface AmAlert {
  labels: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
}

export interface Alertmanager {
  url: string;
  log: () => string;
  /** Posts alerts that start now and stay active for an hour. */
  post: (labels: Record<string, string>[]) => Promise<void>;
  alerts: () => Promise<AmAlert[]>;
  stop: () => Promise<void>;
}

export async function startAlertmanager(configFile: string): Promise<Alertmanager> {
  const port = await freePort();
  // The watchdog removes only directories named gatewatch-prom-*.
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-prom-am-'));
  const url = `http://127.0.0.1:${port}`;
  const args = [`--config.file=${configFile}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=info'];
  const { proc, log, stop } = startWatched('prometheus-alertmanager', args, dir);
  const am: Alertmanager = {
    url,
    log,
    post: async (labels) => {
      const now = Date.now();
      const body = labels.map((l) => ({ labels: l, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() }));
      const res = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`Alertmanager POST /api/v2/alerts: ${res.status} ${await res.text()}`);
    },
    alerts: async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as AmAlert[],
    stop,
  };
  try {
    await waitFor(
      `Alertmanager on ${url} to be ready`,
      async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`prometheus-alertmanager exited (${proc.exitCode ?? proc.signalCode}):\n${log()}`);
        return (await fetch(`${url}/-/ready`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 30_000, intervalMs: 100, context: log, fatal: (e) => e instanceof Error && /exited/.test(e.message) },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return am;
}
