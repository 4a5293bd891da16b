// mssql (tedious) driver: the production CMDB on SQL Server. One pool per driver, opened on the first
// query; a failed connect rejects that query and the next one tries again, so an unreachable server is
// an error per request, never a crash.
import mssql from 'mssql';
import { onAbort } from './abort.js';
import { cancelled, type BoundParam, type Driver, type QueryOptions, type QueryResult } from './driver.js';
import { refusalCode, type InventoryErrorCode } from './errors.js';
import { Gate } from './gate.js';
import { connectTimeoutOf, type MssqlSettings } from './mssql-settings.js';
import { describeMssqlTarget } from './mssql-url.js';

const INT32 = 2 ** 31;
/** Longest NVARCHAR(n); a longer value needs NVARCHAR(MAX), which cannot use every index. */
const NVARCHAR_MAX_N = 4000;
const DATASET_ERRORS = new Set([207, 208]); // Invalid column name, Invalid object name
const CONNECTION_CODES = new Set(['ELOGIN', 'ESOCKET', 'EINSTLOOKUP', 'ENOTOPEN', 'ECONNCLOSED', 'ENOCONN', 'ECLOSE', 'EENCRYPT']);
const CERTIFICATE = /cert|self[- ]signed|altname|unable[ _]to[ _]verify/i;

/** Declared SQL type of a parameter; NULL keeps it, so `@p IS NULL OR col = @p` compiles the same. */
export function sqlTypeOf(p: BoundParam): mssql.ISqlType {
  switch (p.type) {
    case 'bool':
      return mssql.Bit();
    case 'int':
      return typeof p.value === 'number' && (p.value >= INT32 || p.value < -INT32) ? mssql.BigInt() : mssql.Int();
    case 'datetime':
      return mssql.DateTime2(3);
    case 'guid':
      return mssql.UniqueIdentifier();
    case 'string':
      return typeof p.value === 'string' && p.value.length > NVARCHAR_MAX_N ? mssql.NVarChar(mssql.MAX) : mssql.NVarChar(NVARCHAR_MAX_N);
  }
}

export function poolConfig(s: MssqlSettings): mssql.config {
  // With a port, tedious goes straight to it; an instance name alone is looked up via SQL Browser.
  const lookup = s.port === undefined;
  return {
    server: s.server,
    port: s.port,
    database: s.database,
    user: s.user,
    password: s.password,
    domain: s.domain,
    connectionTimeout: connectTimeoutOf(s),
    requestTimeout: s.requestTimeoutMs,
    pool: { max: s.poolMax, min: 0 },
    options: {
      encrypt: s.strictEncrypt ? 'strict' : s.encrypt,
      trustServerCertificate: s.trustServerCertificate,
      serverName: s.hostNameInCertificate,
      readOnlyIntent: s.readOnlyIntent,
      multiSubnetFailover: s.multiSubnetFailover ?? false,
      appName: s.appName,
      instanceName: lookup ? s.instanceName : undefined,
      useUTC: true,
    },
  };
}

type ErrorShape = { name?: string; code?: string; number?: number; message?: string; originalError?: unknown; cause?: unknown };

export class MssqlDriver implements Driver {
  readonly dialect = 'mssql' as const;
  readonly description: string;
  private pool: Promise<mssql.ConnectionPool> | undefined;
  /** Heavy statements get at most half the pool: look-ups and pages always find a connection. */
  private readonly heavy: Gate;

  constructor(private readonly settings: MssqlSettings) {
    this.description = describeMssqlTarget(settings);
    const share = Math.max(1, Math.floor(settings.poolMax / 2));
    this.heavy = new Gate(share, settings.requestTimeoutMs, `all ${share} SQL Server connection(s) for aggregates`);
  }

  async query(sql: string, params: readonly BoundParam[], options: QueryOptions = {}): Promise<QueryResult> {
    const { signal } = options;
    if (signal?.aborted) throw cancelled();
    const release = options.lane === 'heavy' ? await this.heavy.enter(signal, options.wait) : undefined;
    // The client went away: cancel the statement on the server, not just our wait for it.
    let request: mssql.Request | undefined;
    const cancel = () => request?.cancel();
    const unlisten = signal && onAbort(signal, cancel);
    try {
      const pool = await this.connect();
      if (signal?.aborted) throw cancelled();
      request = pool.request();
      for (const p of params) request.input(p.name, sqlTypeOf(p), p.value);
      const { recordset } = await request.query<Record<string, unknown>>(sql);
      if (!recordset) return { rows: [], columns: [] };
      const columns = Object.keys(recordset.columns);
      return { rows: recordset.map((r) => columns.map((c) => r[c])), columns };
    } catch (e) {
      throw signal?.aborted && (e as { code?: string }).code === 'ECANCEL' ? cancelled(true) : e;
    } finally {
      unlisten?.();
      release?.();
    }
  }

  classify(error: unknown): { code: InventoryErrorCode; message: string } {
    const e = (error ?? {}) as ErrorShape;
    const text = this.scrub(e.message ?? String(error));
    const refused = refusalCode(error);
    if (refused) return { code: refused, message: text };
    if (e.name !== 'ConnectionError' && e.code === 'ETIMEOUT') {
      return { code: 'TIMEOUT', message: `statement exceeded the ${this.settings.requestTimeoutMs} ms request timeout` };
    }
    if (e.name === 'TimeoutError') {
      return { code: 'TIMEOUT', message: `no free connection to ${this.target()}: all ${this.settings.poolMax} are busy` };
    }
    if (e.name === 'ConnectionError' || CONNECTION_CODES.has(e.code ?? '')) {
      return { code: 'UNREACHABLE', message: `cannot reach SQL Server ${this.target()}: ${text}${this.hint(e, text)}` };
    }
    if (typeof e.number === 'number' && DATASET_ERRORS.has(e.number)) return { code: 'DATASET_UNAVAILABLE', message: text };
    return { code: 'QUERY_FAILED', message: text };
  }

  async close(): Promise<void> {
    const pending = this.pool;
    this.pool = undefined;
    // mssql refuses to close a pool that is still connecting: wait for it to settle first.
    const pool = await pending?.catch(() => undefined);
    await pool?.close();
  }

  private connect(): Promise<mssql.ConnectionPool> {
    if (!this.pool) {
      const pool = new mssql.ConnectionPool(poolConfig(this.settings));
      // mssql also emits every failed acquire here; the query that asked gets the same error.
      pool.on('error', () => {});
      const connecting: Promise<mssql.ConnectionPool> = pool.connect().catch((e: unknown) => {
        if (this.pool === connecting) this.pool = undefined;
        throw e;
      });
      this.pool = connecting;
    }
    return this.pool;
  }

  private target(): string {
    const s = this.settings;
    const where = s.port === undefined && s.instanceName ? `${s.server}\\${s.instanceName}` : `${s.server}:${s.port ?? 1433}`;
    return `${where} (database ${s.database})`;
  }

  private hint(e: ErrorShape, text: string): string {
    const s = this.settings;
    if (CERTIFICATE.test(text) || CERTIFICATE.test(causeCode(e))) {
      return ' — the server certificate was not accepted: give it a certificate this host trusts (NODE_EXTRA_CA_CERTS), set hostNameInCertificate if you connect by another name, or, on a network you trust, trustServerCertificate=true';
    }
    if (e.code === 'ELOGIN') return ` — check the user${s.domain ? '' : ' (a Windows account needs Domain=)'}, the password and that the login may open database ${s.database}`;
    if (e.code === 'ETIMEOUT') return ` — no answer within ${connectTimeoutOf(s)} ms: check host, port and firewall`;
    if (e.code === 'EINSTLOOKUP') return ' — SQL Browser (UDP 1434) did not answer: give the port instead (host,port)';
    if (e.code === 'EENCRYPT') return ' — set encrypt=true';
    if (e.code === 'ESOCKET') return ' — check host, port, firewall and that SQL Server accepts TCP connections';
    return '';
  }

  /** tedious does not put the password in messages; this makes sure nothing we pass on does. */
  private scrub(text: string): string {
    const pw = this.settings.password;
    return pw ? text.split(pw).join('***') : text;
  }
}

function causeCode(e: ErrorShape): string {
  const codes: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 4; depth++) {
    const c = cur as ErrorShape;
    if (c.code) codes.push(c.code);
    cur = c.originalError ?? c.cause;
  }
  return codes.join(' ');
}
