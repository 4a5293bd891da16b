// A queries directory whose cem_summary counts to a billion: minutes of work, so a test can rely on
// it still running (or being stopped) without racing the machine's load.
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_QUERIES_DIR } from '../../src/inventory/inventory.js';

export function writeSlowQueries(dir: string): string {
  cpSync(DEFAULT_QUERIES_DIR, dir, { recursive: true });
  writeFileSync(
    join(dir, 'cem_summary.sql'),
    `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000)
SELECT MAX(x) AS [Total], 0 AS [Internet], 0 AS [Lan], 0 AS [CemConfigured], 0 AS [PolicyApplied], 0 AS [Http], 0 AS [Https] FROM c`,
  );
  return dir;
}
