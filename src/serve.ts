// `gatewatch serve`: open the inventory, start the simulator (demo) and the HTTP server (GraphQL and
// the Prometheus exporter), report the inventory's datasets, and shut all of it down cleanly on
// SIGINT/SIGTERM. The server listens before the datasets are checked: a database that hangs must not
// keep /healthz from answering.
import { existsSync } from 'node:fs';
import { ConfigError, loadServeConfig, type Flags } from './config.js';
import { reportDatasets } from './check.js';
import { runDemo } from './demo/command.js';
import { DemoSimulator } from './demo/simulator.js';
import { startServer } from './http/server.js';
import { openInventory } from './inventory/index.js';
import { BrokerLog } from './csa/reader.js';

const log = (line: string) => console.log(`gatewatch: ${line}`);

export async function runServe(flags: Flags): Promise<number> {
  const config = loadServeConfig(flags);
  if (config.embeddedDemo && config.db.kind === 'sqlite' && !existsSync(config.db.path)) {
    log(`no demo inventory at ${config.db.path} yet: creating one`);
    await runDemo({ computers: 5000, seed: 1, out: config.db.path });
  }
  const inventory = openInventory(config.db, { queriesDir: config.queriesDir, requestTimeoutMs: config.requestTimeoutMs, sqliteInline: config.sqliteInline });
  const simulator =
    config.demoLive && config.db.kind === 'sqlite' ? new DemoSimulator(config.db.path, { log: (l) => log(`demo: ${l}`) }) : undefined;
  simulator?.start();
  // The core's BrokerService logs, read on a timer of their own, never by a scrape (docs/csa-broker-log.md).
  const csa = config.csa && new BrokerLog({ ...config.csa, intervalMs: (config.metricsRefreshSeconds ?? 15) * 1000, log });
  csa?.start();

  let server;
  try {
    server = await startServer({ inventory, ...config, metricSources: csa ? [csa] : [], metrics: { intervalSeconds: config.metricsRefreshSeconds, intervals: config.metricsRefreshDatasets, log } });
  } catch (e) {
    simulator?.close();
    await csa?.close();
    await inventory.close();
    const code = (e as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      throw new ConfigError(`--listen (GATEWATCH_LISTEN): cannot listen on ${config.host}:${config.port}: ${code}`);
    }
    throw e;
  }
  log(`${config.mode} mode, inventory ${inventory.description}${simulator ? ', live simulator on' : ''}`);
  log(`GraphQL   ${server.url}/graphql${config.graphiql ? ' (GraphiQL in a browser)' : ''}`);
  log(`metrics   ${server.url}/metrics${config.apiToken || config.metricsToken ? ' (bearer token)' : ''}`);
  if (config.csa) log(`CSA log   ${config.csa.dir} (BrokerService*.log, local times in ${config.csa.zone})`);
  log(`health    ${server.url}/healthz   readiness ${server.url}/readyz`);
  const reported = reportDatasets(inventory, log).then(
    () => undefined,
    (e: unknown) => log(`inventory not reachable: ${(e as Error).message} — serving anyway, /readyz answers 503 until it is`),
  );

  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  log('shutting down');
  simulator?.close();
  await csa?.close();
  await server.close();
  await inventory.close();
  await reported;
  return 0;
}
