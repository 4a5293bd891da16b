// The ADO.NET / ODBC connection-string form (Server=...;Database=...), as SqlClient and ODBC read it:
// keyword synonyms, quoted and braced values, tcp:host\instance,port servers.
import { defaults, fail, flags, setUser, table, timeout, whole, type MssqlSettings, type Setter } from './mssql-settings.js';

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

export function parseConnectionString(text: string): MssqlSettings {
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
