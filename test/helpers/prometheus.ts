// A real Prometheus (the Debian package's /usr/bin/prometheus, installed by scripts/ensure-tools.sh)
// scraping a real `gatewatch serve` and evaluating the committed alert rules, read through its HTTP API
// the way Grafana or Alertmanager would. Loopback only: it listens on 127.0.0.1 and scrapes only
// loopback targets. Every process started here dies with the test: on stop(), on the test process's
// exit or signal, and (through a watchdog shell in its process group) even if the test is SIGKILLed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
  activeAt?: string;
  value: string;
}

export interface PromTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
}

export interface PromRuleGroup {
  name: string;
  file: string;
  interval: number;
  lastEvaluation: string;
  rules: { name: string; type: 'alerting' | 'recording'; query: string; duration?: number; health: string; lastError?: string }[];
}

export interface Prometheus {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The scraped gatewatch, host:port. */
  target: string;
  /** The tail of Prometheus's own log, for failure messages. */
  log: () => string;
  query: (expr: string) => Promise<Sample[]>;
  alerts: () => Promise<PromAlert[]>;
  targets: () => Promise<PromTarget[]>;
  ruleGroups: () => Promise<PromRuleGroup[]>;
  /** Resolves once the scrape job's one target has been scraped successfully. */
  waitTargetUp: (opts?: WaitOptions) => Promise<PromTarget>;
  stop: () => Promise<void>;
}

export interface WaitOptions {
  /** Safety net, not an expectation: a test asserts the state reached, never how soon. */
  timeoutMs?: number;
  intervalMs?: number;
  /** At most this many probes, whatever the clock says. */
  maxTries?: number;
}

/**
 * Probes until `probe` returns something other than undefined/false, and returns it. Bounded both in
 * time and in number of probes; on giving up it throws, naming `what`, the last value or error seen
 * and whatever `context` adds (say, the server's log). An error that `fatal` accepts ends it at once.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  opts: WaitOptions & { context?: () => string | Promise<string>; fatal?: (e: unknown) => boolean } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const intervalMs = opts.intervalMs ?? 250;
  const maxTries = opts.maxTries ?? Math.ceil(timeoutMs / intervalMs) + 1;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let tries = 1; ; tries++) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
      last = v;
    } catch (e) {
      if (opts.fatal?.(e)) throw e;
      last = e instanceof Error ? e.message : e;
    }
    if (tries >= maxTries || Date.now() + intervalMs > deadline) {
      const ctx = opts.context ? `\n--- context ---\n${await opts.context()}` : '';
      throw new Error(`gave up waiting for ${what} after ${tries} probes; last: ${JSON.stringify(last)}${ctx}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// ---- processes that must not outlive the test ----------------------------------------------------

interface Guarded {
  /** The child leads a process group, to be killed whole. */
  group: boolean;
  /** Runs (synchronously) after the kill, e.g. to remove the child's files. */
  cleanup?: () => void;
}
/** Running children to kill on exit. */
const live = new Map<ChildProcess, Guarded>();

function killNow(proc: ChildProcess, group: boolean): void {
  if (proc.pid === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
  try {
    if (group) process.kill(-proc.pid, 'SIGKILL');
    else proc.kill('SIGKILL');
  } catch {
    // already gone
  }
}

function killAll(): void {
  for (const [p, g] of live) {
    killNow(p, g.group);
    try {
      g.cleanup?.();
    } catch {
      // best effort on the way out
    }
  }
}

/**
 * Kills `proc` when this process exits or is signalled, whatever the tests did. `group`: the child
 * leads its own process group (spawned detached), and the whole group goes.
 */
export function killOnExit(proc: ChildProcess, opts: Partial<Guarded> = {}): void {
  if (!hooked) hook();
  live.set(proc, { group: opts.group ?? false, cleanup: opts.cleanup });
  proc.once('exit', () => live.delete(proc));
}

let hooked = false;
function hook(): void {
  hooked = true;
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      process.kill(process.pid, sig);
    });
  }
}

// ---- Prometheus -----------------------------------------------------------------------------------

const NEED = 'gatewatch tests need Prometheus: install the Debian package prometheus (prometheus, promtool)';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** A port free on 127.0.0.1 right now (Prometheus takes a port number, not :0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Runs `cmd ARGS` under a shell that leads its own process group and kills `cmd` when the test
 * process (`$1`) is gone: the one case an exit hook cannot cover is a SIGKILLed test runner. Then it
 * removes Prometheus's directory (`$2`).
 */
export const WATCHDOG = `parent=$1; dir=$2; shift 2
"$@" & child=$!
trap 'kill -TERM $child 2>/dev/null' TERM INT HUP
while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done
kill -TERM "$child" 2>/dev/null
wait "$child"; code=$?
case "$dir" in */gatewatch-prom-*) rm -rf "$dir" ;; esac
exit $code`;

export interface Watched {
  proc: ChildProcess;
  /** The last of what it printed (stdout and stderr). */
  log: () => string;
  /** Ends its whole process group (SIGTERM, SIGKILL after 5 s) and removes `dir`; idempotent. */
  stop: () => Promise<void>;
}

/**
 * Starts `bin ARGS` under WATCHDOG in a process group of its own, so that a test run killed midway
 * leaves nothing behind: killOnExit takes the group along on exit, and `dir` with it.
 */
export function startWatched(bin: string, args: readonly string[], dir: string, keepChars = 32_000): Watched {
  const proc = spawn('sh', ['-c', WATCHDOG, 'watchdog', String(process.pid), dir, bin, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  killOnExit(proc, { group: true, cleanup: () => rmSync(dir, { recursive: true, force: true }) });
  let out = '';
  const keep = (chunk: Buffer) => void (out = (out + chunk.toString()).slice(-keepChars));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-proc.pid!, signal);
    } catch {
      // gone already
    }
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (proc.exitCode === null && proc.signalCode === null) {
      killGroup('SIGTERM');
      const late = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exited;
      clearTimeout(late);
      // The watchdog's `sleep` may outlive it by a second; the group takes it along.
      killGroup('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { proc, log: () => out, stop };
}

export interface StartOptions {
  /** host:port of the `gatewatch serve` to scrape (loopback only). */
  target: string;
  metricsPath?: string;
  /** Absolute paths of rule files to evaluate. */
  ruleFiles?: string[];
  /** Scrape and rule-evaluation interval, e.g. '1s'. */
  interval?: string;
  startTimeoutMs?: number;
  /** The gatewatch job's bearer token file (credentials_file), as deploy/prometheus/prometheus.yml has it. */
  credentialsFile?: string;
  /**
   * Further scrape jobs after the gatewatch job, as prometheus.yml spells them (e.g. the shipped
   * gateway-probes job, its addresses made local): every address in them must be loopback.
   */
  scrapeConfigs?: Record<string, unknown>[];
}

/** Throws on any `host:port` or URL in `value` (walked whole) whose host is not loopback. */
function assertLoopback(value: unknown, where: string): void {
  if (typeof value === 'string') {
    const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(\[[^\]]*\]|[^/:\s]+):\d+(?:\/|$)/i.exec(value);
    if (m && !LOOPBACK.has(m[1]!)) throw new Error(`the Prometheus harness reaches loopback only, not ${value} (${where})`);
  } else if (Array.isArray(value)) value.forEach((v, i) => assertLoopback(v, `${where}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertLoopback(v, `${where}.${k}`);
}

export async function startPrometheus(opts: StartOptions): Promise<Prometheus> {
  const host = opts.target.replace(/:\d+$/, '');
  if (!LOOPBACK.has(host)) throw new Error(`the Prometheus harness scrapes loopback only, not ${opts.target}`);
  for (const f of opts.ruleFiles ?? []) if (!isAbsolute(f)) throw new Error(`rule file paths must be absolute: ${f}`);
  assertLoopback(opts.scrapeConfigs ?? [], 'scrapeConfigs');
  // A port found free can be taken before Prometheus binds it: then again on another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(opts, await freePort());
    } catch (e) {
      if (!(e instanceof PortTaken) || attempt >= 3) throw e;
    }
  }
}

class PortTaken extends Error {}
class Exited extends Error {}

/** Writes the config into a fresh directory (config and TSDB; removed on stop) and starts Prometheus. */
async function launch(opts: StartOptions, port: number): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'gatewatch-prom-'));
  const interval = opts.interval ?? '1s';
  // JSON is YAML: no YAML writer needed.
  const config = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    rule_files: opts.ruleFiles ?? [],
    scrape_configs: [
      {
        job_name: 'gatewatch',
        metrics_path: opts.metricsPath ?? '/metrics',
        ...(opts.credentialsFile ? { authorization: { type: 'Bearer', credentials_file: opts.credentialsFile } } : {}),
        static_configs: [{ targets: [opts.target] }],
      },
      ...(opts.scrapeConfigs ?? []),
    ],
  };
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  // promtool names a broken rule file precisely; Prometheus would only refuse to start.
  const check = spawnSync('promtool', ['check', 'config', configFile], { encoding: 'utf8' });
  if ((check.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${NEED}; \`npm test\` installs it (scripts/ensure-tools.sh) when it runs as root with apt-get`);
  }
  if (check.error || check.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`promtool check config failed:\n${check.error?.message ?? ''}${check.stdout ?? ''}${check.stderr ?? ''}`);
  }
  const url = `http://127.0.0.1:${port}`;
  const data = join(dir, 'tsdb');
  const args = [
    `--config.file=${configFile}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--storage.tsdb.path=${data}`,
    '--storage.tsdb.retention.time=1h',
    '--log.level=info',
  ];
  const { proc, log, stop } = startWatched('prometheus', args, dir, 64_000);

  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${res.status} ${body.errorType ?? ''} ${body.error ?? ''}`);
    return body.data;
  };
  const query = async (expr: string): Promise<Sample[]> => {
    const d = await api<{ resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] | [number, string] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`);
    if (d.resultType === 'scalar') return [{ labels: {}, value: Number((d.result as [number, string])[1]) }];
    if (d.resultType !== 'vector') throw new Error(`query ${expr}: a ${d.resultType}, not an instant vector`);
    return (d.result as { metric: Record<string, string>; value: [number, string] }[]).map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  };
  const targets = async () => (await api<{ activeTargets: PromTarget[] }>('/api/v1/targets?state=active')).activeTargets;
  const prom: Prometheus = {
    url,
    target: opts.target,
    log,
    query,
    alerts: async () => (await api<{ alerts: PromAlert[] }>('/api/v1/alerts')).alerts,
    targets,
    ruleGroups: async () => (await api<{ groups: PromRuleGroup[] }>('/api/v1/rules')).groups,
    waitTargetUp: (w = {}) =>
      waitFor(
        `Prometheus to scrape ${opts.target} successfully`,
        async () => (await targets()).find((t) => t.labels.job === 'gatewatch' && t.health === 'up'),
        { timeoutMs: 30_000, ...w, context: async () => `targets: ${JSON.stringify(await targets().catch((e) => String(e)))}\n${log()}` },
      ),
    stop,
  };

  try {
    await waitFor(
      `Prometheus on ${url} to be ready`,
      async () => {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          if (/address already in use/.test(log())) throw new PortTaken(`port ${port} taken`);
          throw new Exited(`prometheus exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${log()}`);
        }
        const res = await fetch(`${url}/-/ready`).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs: opts.startTimeoutMs ?? 30_000, intervalMs: 100, context: log, fatal: (e) => e instanceof PortTaken || e instanceof Exited },
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return prom;
}
