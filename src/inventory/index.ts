// Opens the inventory a DB URL names: `sqlite:PATH` or a bare *.sqlite/*.db path, `mssql://...`, or an
// ADO-style connection string (Server=...;Database=...). One Inventory (and one pool) per process.
import { SqlInventory, type Inventory } from './inventory.js';
import { SqliteDriver } from './sqlite.js';
import { DeferredMssqlDriver } from './mssql-deferred.js';
import type { MssqlSettings } from './mssql-settings.js';
import { parseMssqlTarget } from './mssql-url.js';

export type DbTarget = { kind: 'sqlite'; path: string } | { kind: 'mssql'; settings: MssqlSettings };

export class DbUrlError extends Error {
  override readonly name = 'DbUrlError';
}

export function parseDbUrl(url: string): DbTarget {
  const text = url.trim();
  if (!text) throw new DbUrlError('database URL is empty');
  if (/^sqlite:/i.test(text)) {
    const path = text.replace(/^sqlite:(\/\/)?/i, '');
    if (!path) throw new DbUrlError('sqlite: URL has no file path (use sqlite:./data/demo.sqlite)');
    return { kind: 'sqlite', path };
  }
  if (/^(mssql|sqlserver):\/\//i.test(text) || /(^|;)\s*(server|data source|address|addr|network address)\s*=/i.test(text)) {
    return { kind: 'mssql', settings: parseMssqlTarget(text) };
  }
  if (/\.(sqlite3?|db)$/i.test(text)) return { kind: 'sqlite', path: text };
  throw new DbUrlError(
    'database URL not recognised: use sqlite:PATH, a *.sqlite path, mssql://user:pass@host:port/db, or Server=...;Database=...',
  );
}

export interface OpenOptions {
  queriesDir?: string;
  /** Statement timeout (ms). */
  requestTimeoutMs?: number;
  /** SQLite: provably cheap statements on the calling thread (sqlite-inline.ts; default true). */
  sqliteInline?: boolean;
}

export function openInventory(target: DbTarget, options: OpenOptions = {}): Inventory {
  const driver =
    target.kind === 'sqlite'
      ? new SqliteDriver({ path: target.path, timeoutMs: options.requestTimeoutMs, inline: options.sqliteInline })
      : new DeferredMssqlDriver({ ...target.settings, requestTimeoutMs: options.requestTimeoutMs ?? target.settings.requestTimeoutMs });
  return new SqlInventory(driver, options.queriesDir);
}

export type { Inventory } from './inventory.js';
