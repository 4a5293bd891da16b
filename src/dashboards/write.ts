// `npm run dashboards`: writes every Grafana dashboard from src/dashboards/ to dashboards/grafana/<uid>.json,
// and removes JSON files there that no dashboard generates any more.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARD_DIR, allDashboards, renderDashboard } from './index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = resolve(root, DASHBOARD_DIR);
mkdirSync(dir, { recursive: true });
const written = new Set<string>();
for (const d of allDashboards()) {
  const { file, text } = renderDashboard(d);
  writeFileSync(resolve(root, file), text);
  written.add(resolve(root, file));
  console.log(`wrote ${file}`);
}
for (const f of readdirSync(dir)) {
  const path = resolve(dir, f);
  if (f.endsWith('.json') && !written.has(path)) {
    rmSync(path);
    console.log(`removed ${DASHBOARD_DIR}/${f}`);
  }
}
