// The simple query's own statement, alone in this process with better-sqlite3 (no HTTP, no GraphQL,
// no worker): what it costs bounds what any server can answer per core for that query.
import Database from 'better-sqlite3';
import type { BoundParam } from '../src/inventory/driver.js';
import { toSqliteParams } from '../src/inventory/sqlite.js';

export function statementCost(path: string, statement: { sql: string; params: readonly BoundParam[] }): string {
  const db = new Database(path, { readonly: true });
  try {
    const stmt = db.prepare(statement.sql).raw(true);
    const params = toSqliteParams(statement.params);
    for (let i = 0; i < 100; i++) stmt.all(params);
    const runs = 1000;
    const started = performance.now();
    for (let i = 0; i < runs; i++) stmt.all(params);
    const ms = (performance.now() - started) / runs;
    return `the simple query's statement alone: ${ms.toFixed(2)} ms per execution in-process, at most ${Math.round(1000 / ms).toLocaleString('en')} per second per core`;
  } finally {
    db.close();
  }
}
