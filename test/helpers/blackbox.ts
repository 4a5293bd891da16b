// A real blackbox_exporter (the Debian package prometheus-blackbox-exporter, installed by
// scripts/ensure-tools.sh) on 127.0.0.1, running a given config file (deploy/blackbox/blackbox.yml).
// It dies with the test the way the Prometheus harness's processes do (watchdog shell, exit hooks).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startWatched, waitFor } from './prometheus.js';

export const BLACKBOX_BIN = 'prometheus-blackbox-exporter';

export interface Blackbox {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** host:port, for a scrape job's __address__. */
  address: string;
  log: () => string;
  stop: () => Promise<void>;
}

class PortTaken extends Error {}
class Exited extends Error {}

export async function startBlackbox(configFile: string): Promise<Blackbox> {
  // A port found free can be taken before blackbox_exporter binds it: then again on another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(configFile, await freePort());
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt >= 3) throw e;
    }
  }
}

async function launch(configFile: string, port: number): Promise<Blackbox> {
  // blackbox_exporter writes nothing; the directory is only the watchdog's (it removes gatewatch-prom-* only).
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-prom-bb-'));
  const address = `127.0.0.1:${port}`;
  const url = `http://${address}`;
  const args = [`--config.file=${configFile}`, `--web.listen-address=${address}`, '--log.level=info'];
  const { proc, log, stop } = startWatched(BLACKBOX_BIN, args, dir);
  try {
    await waitFor(
      `blackbox_exporter on ${url} to be ready`,
      async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          if (/address already in use/.test(log())) throw new PortTaken(`port ${port} taken`);
          if (/not found|No such file/.test(log()) && proc.exitCode === 127) {
            throw new Exited(`gatewatch tests need blackbox_exporter: install the Debian package prometheus-blackbox-exporter (\`npm test\` does, scripts/ensure-tools.sh)\n${log()}`);
          }
          throw new Exited(`${BLACKBOX_BIN} exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${log()}`);
        }
        return (await fetch(`${url}/-/healthy`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 30_000, intervalMs: 100, context: log, fatal: (e) => e instanceof PortTaken || e instanceof Exited },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, address, log, stop };
}
