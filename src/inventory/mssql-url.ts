// Where the SQL Server inventory is: an mssql:// URL or an ADO/ODBC connection string, read into
// settings whose defaults are the safe choice (encrypted, certificate checked). A bad part is named in
// one line; a password is never echoed, not even a fragment of one.

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
  connectTimeoutMs: number;
  poolMax: number;
  appName: string;
}

export class MssqlTargetError extends Error {
  override readonly name = 'MssqlTargetError';
}

type Unit = 'ms' | 's';
type Setter = (s: MssqlSettings, value: string, label: string) => void;

function fail(message: string): never {
  throw new MssqlTargetError(message);
}

function bool(label: string, v: string): boolean {
  if (/^(true|yes|1)$/i.test(v)) return true;
  if (/^(false|no|0)$/i.test(v)) return false;
  return fail(`${label} must be true or false, got "${v}"`);
}

function whole(label: string, v: string, min: number, max: number, what: string): number {
  const n = /^\d{1,9}$/.test(v.trim()) ? Number(v) : NaN;
  if (!(n >= min && n <= max)) fail(`${label} must be a whole number of ${what} between ${min} and ${max}, got "${v}"`);
  return n;
}

const timeout = (key: 'requestTimeoutMs' | 'connectTimeoutMs', unit: Unit): Setter => (s, v, label) => {
  s[key] = unit === 's' ? whole(label, v, 1, 600, 'seconds') * 1000 : whole(label, v, 100, 600_000, 'milliseconds');
};

/** Lower-case keys, synonyms separated by '|'. */
function table<T>(spec: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(spec).flatMap(([keys, v]) => keys.split('|').map((k) => [k, v])));
}

// Settings either form may carry: query parameters of a URL, keywords of a connection string.
const flags: Record<string, Setter> = {
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

const URL_PARAMS = table<Setter>({
  ...flags,
  requesttimeout: timeout('requestTimeoutMs', 'ms'),
  connecttimeout: timeout('connectTimeoutMs', 'ms'),
  instancename: (s, v) => (s.instanceName = v || undefined),
});

const integrated: Setter = (_s, v, label) => {
  if (/^(false|no|0)$/i.test(v)) return;
  fail(`${label} (Windows single sign-on) is not available from Linux: use Domain=YOURDOMAIN with User Id and Password (NTLM)`);
};

// ADO.NET / ODBC keywords. Timeouts in ADO's seconds, except Request Timeout: mssql's own, in ms.
const KEYWORDS = table<Setter | 'server' | 'database' | 'user' | 'password' | 'ignore'>({
  ...flags,
  'server|data source|address|addr|network address': 'server',
  'database|initial catalog': 'database',
  'user id|userid|uid|user': 'user',
  'password|pwd': 'password',
  'driver|persist security info|pooling|multipleactiveresultsets': 'ignore',
  'connect timeout|connection timeout|timeout': timeout('connectTimeoutMs', 's'),
  'command timeout': timeout('requestTimeoutMs', 's'),
  'request timeout': timeout('requestTimeoutMs', 'ms'),
  'integrated security|trusted_connection': integrated,
});

const defaults = (): MssqlSettings => ({
  server: '',
  database: '',
  encrypt: true,
  trustServerCertificate: false,
  readOnlyIntent: false,
  requestTimeoutMs: 5000,
  connectTimeoutMs: 15000,
  poolMax: 10,
  appName: 'gatewatch',
});

export function parseMssqlTarget(text: string): MssqlSettings {
  const t = text.trim();
  const s = /^(mssql|sqlserver):\/\//i.test(t) ? parseUrl(t) : parseConnectionString(t);
  if (!s.server) fail('no server given');
  if (!s.database) fail('no database given (the CMDB, e.g. Symantec_CMDB)');
  if (s.user === undefined) fail('no user given: SQL Server authentication needs a user and password (Windows accounts: add a domain)');
  if (s.port === undefined && !s.instanceName) s.port = 1433;
  return s;
}

/** The target without its password, for logs and the /status page. */
export function describeMssqlTarget(s: MssqlSettings): string {
  const who = s.user === undefined ? '' : `${s.domain ? `${s.domain}\\` : ''}${s.user}@`;
  const where = `${s.server}${s.instanceName && s.port === undefined ? `\\${s.instanceName}` : `:${s.port ?? 1433}`}`;
  const notes = [
    !s.encrypt && 'encrypt=false',
    s.trustServerCertificate && 'trustServerCertificate=true',
    s.readOnlyIntent && 'applicationIntent=ReadOnly',
  ].filter(Boolean);
  return `mssql://${who}${where}/${s.database}${notes.length ? `?${notes.join('&')}` : ''}`;
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return fail(`the ${what} in the URL is not valid percent-encoding`);
  }
}

function parseUrl(text: string): MssqlSettings {
  const s = defaults();
  const rest = text.replace(/^[a-z]+:\/\//i, '');
  // The password may hold '/', so user info ends at the last '@' before the query, not at a '/'.
  const q = rest.indexOf('?');
  const at = rest.lastIndexOf('@', q < 0 ? rest.length : q);
  if (at < 0 && q >= 0 && rest.indexOf('@', q) >= 0) fail("percent-encode '?', '@' and '/' in the user name and password");
  if (at >= 0) {
    const info = rest.slice(0, at);
    const colon = info.indexOf(':');
    setUser(s, decode(colon < 0 ? info : info.slice(0, colon), 'user name'));
    if (colon >= 0) s.password = decode(info.slice(colon + 1), 'password');
  }
  const tail = rest.slice(at + 1);
  const m = /^([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/.exec(tail)!;
  const host = decode(m[1]!, 'host');
  const hm = /^(\[[^\]]+\]|[^:\\]*)(?:\\([^:]*))?(?::(.*))?$/.exec(host);
  if (!hm) fail(`cannot read host "${host}" (use host, host:port or host\\instance)`);
  s.server = hm[1]!.replace(/^\[(.*)\]$/, '$1');
  if (hm[2]) s.instanceName = hm[2];
  if (hm[3] !== undefined) s.port = whole('port', hm[3], 1, 65535, 'a TCP port');
  s.database = decode((m[2] ?? '').replace(/\/$/, ''), 'database');
  for (const pair of (m[3] ?? '').split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq), 'query');
    const set = URL_PARAMS[name.toLowerCase()];
    if (!set) fail(`unknown URL parameter "${name}"`);
    set(s, decode(eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, ' '), `${name} value`), name);
  }
  return s;
}

function parseConnectionString(text: string): MssqlSettings {
  const s = defaults();
  let prev = '';
  for (const [rawKey, value] of splitPairs(text)) {
    const key = rawKey.toLowerCase().replace(/\s+/g, ' ');
    const kind = KEYWORDS[key];
    if (!kind) {
      // Most likely an unquoted ';' inside the password: naming the "keyword" would print part of it.
      if (prev === 'password') fail(AFTER_PASSWORD);
      fail(`unknown connection string keyword "${rawKey}"`);
    }
    prev = kind === 'password' ? 'password' : key;
    if (kind === 'server') setServer(s, value);
    else if (kind === 'database') s.database = value;
    else if (kind === 'password') s.password = value;
    else if (kind === 'user') setUser(s, value);
    else if (kind !== 'ignore') kind(s, value, rawKey);
  }
  return s;
}

/** DOMAIN\user names a Windows account (NTLM). */
function setUser(s: MssqlSettings, value: string): void {
  const slash = value.indexOf('\\');
  if (slash < 0) s.user = value;
  else [s.domain, s.user] = [value.slice(0, slash), value.slice(slash + 1)];
}

/** tcp:host\instance,port, as SqlClient writes it. */
function setServer(s: MssqlSettings, value: string): void {
  const m = /^(?:(tcp|np|lpc|admin):)?([^\\,]*)(?:\\([^,]*))?(?:,(.*))?$/i.exec(value.trim());
  if (!m) return fail(`cannot read Server "${value}" (use host, host,port or host\\instance)`);
  if (m[1] && m[1].toLowerCase() !== 'tcp') fail(`Server protocol "${m[1]}:" is not supported: only TCP (tcp:host,port)`);
  s.server = /^(\.|\(local\))$/i.test(m[2]!) ? 'localhost' : m[2]!.trim();
  s.instanceName = m[3]?.trim() || undefined;
  s.port = m[4] === undefined ? undefined : whole('Server port', m[4].trim(), 1, 65535, 'a TCP port');
}

const AFTER_PASSWORD = "unknown connection string keyword after Password: quote a password holding ';' as Password='...' or {...}";

// Keyword = 'quoted' | "quoted" | {braced} | bare value; a closing quote is doubled to stand for itself.
const PAIR = /[\s;]*([^=;]+?)\s*=\s*(?:'((?:[^']|'')*)'|"((?:[^"]|"")*)"|\{((?:[^}]|\}\})*)\}|(?!['"{])([^;]*?))\s*(?:;|$)/y;

function splitPairs(text: string): [string, string][] {
  const out: [string, string][] = [];
  const re = new RegExp(PAIR);
  for (let i = 0; /[^\s;]/.test(text.slice(i)); i = re.lastIndex) {
    const m = re.exec(text);
    if (!m) {
      const quoted = /^[\s;]*([^=;]+?)\s*=\s*(['"{])/.exec(text.slice(i));
      if (quoted) fail(`the quoted value of ${quoted[1]} lacks its closing ${quoted[2] === '{' ? '}' : quoted[2]} or is followed by more text`);
      if (/^(password|pwd)$/i.test(out.at(-1)?.[0] ?? '')) fail(AFTER_PASSWORD);
      fail(`connection string part ${out.length + 1} has no "=" (write Keyword=value;)`);
    }
    const value = m[2]?.replace(/''/g, "'") ?? m[3]?.replace(/""/g, '"') ?? m[4]?.replace(/\}\}/g, '}') ?? m[5]!.trim();
    out.push([m[1]!, value]);
  }
  return out;
}
