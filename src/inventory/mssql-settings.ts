// The settings both target forms (mssql-url.ts, mssql-ado.ts) read into, their safe defaults, and
// the setters and checks the two share, so a value means and is validated the same in either form.
// A bad part is named in one line; a password is never echoed, not even a fragment of one.

export interface MssqlSettings {
  server: string;
  /** Absent only when a named instance is looked up through SQL Browser. */
  port?: number;
  instanceName?: string;
  database: string;
  user?: string;
  password?: string;
  /** NTLM domain, for Windows authentication by user and password. */
  domain?: string;
  encrypt: boolean;
  /** Encrypt=Strict: TDS 8, TLS before any SQL Server traffic. */
  strictEncrypt?: boolean;
  trustServerCertificate: boolean;
  /** Name the certificate must carry, when it differs from `server` (e.g. connecting by IP). */
  hostNameInCertificate?: string;
  /** ApplicationIntent=ReadOnly: route to a readable secondary of an availability group. */
  readOnlyIntent: boolean;
  multiSubnetFailover?: boolean;
  requestTimeoutMs: number;
  /** Unset: connectTimeoutOf's default. */
  connectTimeoutMs?: number;
  poolMax: number;
  appName: string;
}

export class MssqlTargetError extends Error {
  override readonly name = 'MssqlTargetError';
}

type Unit = 'ms' | 's';
export type Setter = (s: MssqlSettings, value: string, label: string) => void;

export function fail(message: string): never {
  throw new MssqlTargetError(message);
}

function bool(label: string, v: string): boolean {
  if (/^(true|yes|1)$/i.test(v)) return true;
  if (/^(false|no|0)$/i.test(v)) return false;
  return fail(`${label} must be true or false, got "${v}"`);
}

export function whole(label: string, v: string, min: number, max: number, what: string): number {
  const n = /^\d{1,9}$/.test(v.trim()) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) fail(`${label} must be a whole number of ${what} between ${min} and ${max}, got "${v}"`);
  return n;
}

export const timeout = (key: 'requestTimeoutMs' | 'connectTimeoutMs', unit: Unit): Setter => (s, v, label) => {
  s[key] = unit === 's' ? whole(label, v, 1, 600, 'seconds') * 1000 : whole(label, v, 100, 600_000, 'milliseconds');
};

/** Lower-case keys, synonyms separated by '|'. */
export function table<T>(spec: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(spec).flatMap(([keys, v]) => keys.split('|').map((k) => [k, v])));
}

// Settings either form may carry: query parameters of a URL, keywords of a connection string.
export const flags: Record<string, Setter> = {
  encrypt: (s, v, label) => {
    const strict = /^strict$/i.test(v);
    s.encrypt = strict || /^mandatory$/i.test(v) || (!/^optional$/i.test(v) && bool(label, v));
    if (strict) s.strictEncrypt = true;
    else delete s.strictEncrypt;
  },
  'trustservercertificate|trust server certificate': (s, v, label) => (s.trustServerCertificate = bool(label, v)),
  'hostnameincertificate|host name in certificate': (s, v) => (s.hostNameInCertificate = v || undefined),
  'applicationintent|application intent': (s, v, label) => {
    if (!/^read(only|write)$/i.test(v)) fail(`${label} must be ReadOnly or ReadWrite, got "${v}"`);
    s.readOnlyIntent = /^readonly$/i.test(v);
  },
  'multisubnetfailover|multi subnet failover': (s, v, label) => (s.multiSubnetFailover = bool(label, v)),
  domain: (s, v) => (s.domain = v || undefined),
  'appname|application name|app': (s, v, label) => (s.appName = v.length > 0 && v.length <= 128 ? v : fail(`${label} must be 1 to 128 characters`)),
  'poolmax|max pool size': (s, v, label) => (s.poolMax = whole(label, v, 1, 100, 'connections')),
};

export const defaults = (): MssqlSettings => ({
  server: '',
  database: '',
  encrypt: true,
  trustServerCertificate: false,
  readOnlyIntent: false,
  requestTimeoutMs: 5000,
  poolMax: 10,
  appName: 'gatewatch',
});

/** tedious's own connect timeout, kept as the ceiling of the default. */
const CONNECT_TIMEOUT_MAX_MS = 15_000;

/**
 * How long a connect may take: as given, else the request timeout (at most 15 s), so a server that
 * accepts TCP but never answers costs a request no more than a slow statement would.
 */
export const connectTimeoutOf = (s: MssqlSettings): number => s.connectTimeoutMs ?? Math.min(s.requestTimeoutMs, CONNECT_TIMEOUT_MAX_MS);

/** DOMAIN\user names a Windows account (NTLM). */
export function setUser(s: MssqlSettings, value: string): void {
  const slash = value.indexOf('\\');
  if (slash < 0) s.user = value;
  else [s.domain, s.user] = [value.slice(0, slash), value.slice(slash + 1)];
}
