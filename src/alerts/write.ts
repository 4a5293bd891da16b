// `npm run alerts`: writes the alert rules, their promtool tests and the Alertmanager config from
// src/alerts/. GATEWATCH_RUNBOOK_BASE_URL and GATEWATCH_GRAFANA_URL move the links the alerts carry
// (commit the files generated without them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALERTMANAGER_FILE, renderAlertmanager } from './alertmanager.js';
import { withLinksFrom } from './config.js';
import { ALERTS_FILE, TESTS_FILE, renderAlertTests, renderAlerts } from './files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let config;
try {
  config = withLinksFrom(process.env);
} catch (e) {
  console.error(`npm run alerts: ${(e as Error).message}`);
  process.exit(2);
}
for (const [file, text] of [
  [ALERTS_FILE, renderAlerts(config)],
  [TESTS_FILE, renderAlertTests(config)],
  [ALERTMANAGER_FILE, renderAlertmanager(config)],
] as const) {
  const path = resolve(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${file}`);
}
