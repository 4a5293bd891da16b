// Where the SQL Server inventory is: an mssql:// URL or an ADO/ODBC connection string (mssql-ado.ts),
// read into settings whose defaults are the safe choice (encrypted, certificate checked).
import { parseConnectionString } from './mssql-ado.js';
import { defaults, fail, flags, setUser, table, timeout, whole, type MssqlSettings, type Setter } from './mssql-settings.js';

const URL_PARAMS = table<Setter>({
  ...flags,
  requesttimeout: timeout('requestTimeoutMs', 'ms'),
  connecttimeout: timeout('connectTimeoutMs', 'ms'),
  instancename: (s, v) => (s.instanceName = v || undefined),
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

/** The target without its password, for logs and readiness reasons. */
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
