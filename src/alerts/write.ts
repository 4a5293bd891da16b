// `npm run alerts`: writes the alert rules and their promtool tests from src/alerts/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALERTS_FILE, TESTS_FILE, renderAlertTests, renderAlerts } from './files.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
for (const [file, text] of [
  [ALERTS_FILE, renderAlerts()],
  [TESTS_FILE, renderAlertTests()],
] as const) {
  const path = resolve(root, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${file}`);
}
