// The SQL Server driver without a server: target parsing, the T-SQL wrappers, chunking under the
// 2100-parameter limit, parameter types, row mapping, error classification, and an unreachable server.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, test } from 'node:test';
import mssql from 'mssql';
import { DATASETS } from '../src/inventory/datasets.js';
import type { BoundParam, Driver, QueryResult } from '../src/inventory/driver.js';
import { InventoryError } from '../src/inventory/errors.js';
import { SqlInventory } from '../src/inventory/inventory.js';
import { mapRow } from '../src/inventory/mapping.js';
import { MssqlDriver, poolConfig, sqlTypeOf } from '../src/inventory/mssql.js';
import { describeMssqlTarget, MssqlTargetError, parseMssqlTarget } from '../src/inventory/mssql-url.js';
import { countSql, keysetSql, probeSql, selectSql } from '../src/inventory/sql-wrap.js';

const PW = 'S3cr3t;Pw';
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
process.on('unhandledRejection', onUnhandled);
after(() => {
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, [], 'no unhandled rejection');
});

test('URL form: every setting, percent-decoding, defaults', () => {
  const s = parseMssqlTarget(
    'mssql://CORP%5Cjoe:p%40ss%2Fw@db.corp:1444/Symantec%20CMDB?encrypt=true&trustServerCertificate=false&applicationIntent=ReadOnly' +
      '&requestTimeout=7000&connectTimeout=10000&domain=CORP&poolMax=4&appName=gw%20test',
  );
  assert.deepEqual(
    { ...s },
    { server: 'db.corp', port: 1444, database: 'Symantec CMDB', user: 'joe', password: 'p@ss/w', domain: 'CORP', encrypt: true, trustServerCertificate: false,
      readOnlyIntent: true, requestTimeoutMs: 7000, connectTimeoutMs: 10000, poolMax: 4, appName: 'gw test' },
  );
  const d = parseMssqlTarget('sqlserver://sa:x@host/CMDB');
  assert.equal(d.port, 1433);
  assert.deepEqual([d.encrypt, d.trustServerCertificate, d.readOnlyIntent, d.requestTimeoutMs, d.connectTimeoutMs, d.poolMax, d.appName], [true, false, false, 5000, 15000, 10, 'gatewatch']);
  const named = parseMssqlTarget('mssql://sa:x@host\\SQLEXPRESS/CMDB');
  assert.deepEqual([named.server, named.instanceName, named.port], ['host', 'SQLEXPRESS', undefined]);
  assert.equal(parseMssqlTarget('mssql://sa:x@host/CMDB?instanceName=I2').instanceName, 'I2');
  assert.equal(parseMssqlTarget('mssql://sa:a@b@host/CMDB').password, 'a@b', 'user info ends at the last @');
});

test('connection strings: synonyms, quoting, tcp:host,port, host\\instance, seconds', () => {
  const forms = [
    `Server=tcp:db.corp,1444;Database=CMDB;User Id=joe;Password=pw;Encrypt=True;TrustServerCertificate=False;Connect Timeout=30;`,
    `Data Source = db.corp,1444 ; Initial Catalog=CMDB; UID=joe; PWD=pw; connection timeout=30`,
    `ADDRESS=db.corp,1444;database=CMDB;User=joe;password={pw};Timeout=30`,
    `Network Address=tcp:db.corp,1444;Database="CMDB";USER ID='joe';Password=pw;Encrypt=yes;Connect Timeout=30`,
  ];
  for (const f of forms) {
    const s = parseMssqlTarget(f);
    assert.deepEqual([s.server, s.port, s.database, s.user, s.password, s.connectTimeoutMs, s.encrypt], ['db.corp', 1444, 'CMDB', 'joe', 'pw', 30000, true], f);
  }
  const quoted = parseMssqlTarget(`Server=h;Database=d;User Id=u;Password='a;''b=c"';App="x""y"`);
  assert.deepEqual([quoted.password, quoted.appName], [`a;'b=c"`, 'x"y']);
  assert.equal(parseMssqlTarget('Server=h;Database=d;User Id=u;Password={a;}}b}').password, 'a;}b');
  const named = parseMssqlTarget('Addr=.\\SQLEXPRESS;Database=d;User Id=CORP\\svc;Password=p;ApplicationIntent=ReadOnly;Command Timeout=3');
  assert.deepEqual([named.server, named.instanceName, named.port, named.domain, named.user], ['localhost', 'SQLEXPRESS', undefined, 'CORP', 'svc']);
  assert.deepEqual([named.readOnlyIntent, named.requestTimeoutMs], [true, 3000]);
  const s = parseMssqlTarget('Server=h\\I1,1500;Database=d;User Id=u;Password=p;Domain=CORP;Max Pool Size=3;Encrypt=Strict;Trusted_Connection=no');
  assert.deepEqual([s.instanceName, s.port, s.domain, s.poolMax, s.encrypt, s.strictEncrypt], ['I1', 1500, 'CORP', 3, true, true]);
  assert.equal(poolConfig(s).options?.instanceName, undefined, 'an explicit port skips the SQL Browser lookup');
});

test('bad targets: one clear line naming the part, never the password', () => {
  const cases: [string, RegExp][] = [
    [`mssql://u:${PW}@h/db?requestTimeout=abc`, /^requestTimeout must be a whole number of milliseconds between 100 and 600000, got "abc"$/],
    [`mssql://u:${PW}@h/db?requestTimeout=50`, /requestTimeout must be .* got "50"/],
    [`mssql://u:${PW}@h:99999/db`, /port must be a whole number of a TCP port between 1 and 65535/],
    [`mssql://u:${PW}@h/db?encrypt=maybe`, /^encrypt must be true or false, got "maybe"$/],
    [`mssql://u:${PW}@h/db?encrpyt=true`, /^unknown URL parameter "encrpyt"$/],
    [`mssql://u:${PW}@h/`, /no database/],
    [`mssql://h/db`, /no user/],
    [`Sever=h;Database=d;User Id=u;Password='${PW}'`, /^unknown connection string keyword "Sever"$/],
    [`Server=h;Database=d;User Id=u;Password=S3cr3t;Pw;`, /unknown connection string keyword after Password: quote/],
    [`Server=h;Database=d;User Id=u;Password=S3cr3t;Pw=1`, /unknown connection string keyword after Password/],
    [`Server=h;Database=d;User Id=u;Password='${PW}`, /quoted value of Password lacks its closing '/],
    [`Server=h;Database=d;Integrated Security=SSPI`, /Windows single sign-on.*Domain=.*NTLM/],
    [`Server=h;Database=d;Trusted_Connection=yes;User Id=u;Password='${PW}'`, /Trusted_Connection .*Domain=/],
    [`Server=np:h;Database=d;User Id=u;Password='${PW}'`, /only TCP/],
    [`Server=h;Database=d;User Id=u;Password='${PW}';Connect Timeout=0`, /^Connect Timeout must be a whole number of seconds between 1 and 600, got "0"$/],
    [`Server=h;Database=d;User Id=u;Password='${PW}';ApplicationIntent=Reading`, /ReadOnly or ReadWrite/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => parseMssqlTarget(text), (e: Error) => {
      assert.ok(e instanceof MssqlTargetError, text);
      assert.match(e.message, re, text);
      assert.ok(!e.message.includes('S3cr3t') && !e.message.includes('Pw') && !e.message.includes('\n'), `${text}: ${e.message}`);
      return true;
    });
  }
});

test('descriptions name user, host, port and database but never the password', () => {
  const s = parseMssqlTarget(`Server=h,1444;Database=CMDB;User Id=CORP\\joe;Password='${PW}';TrustServerCertificate=true`);
  assert.equal(describeMssqlTarget(s), 'mssql://CORP\\joe@h:1444/CMDB?trustServerCertificate=true');
  assert.equal(new MssqlDriver(s).description, describeMssqlTarget(s));
  assert.equal(describeMssqlTarget(parseMssqlTarget(`mssql://u:${encodeURIComponent(PW)}@h\\I1/db`)), 'mssql://u@h\\I1/db');
});

test('T-SQL wrappers: TOP instead of LIMIT, written-out keyset, COUNT, TOP (0) probe', () => {
  const base = 'SELECT x.[A] AS [A] FROM t x';
  const page = selectSql('mssql', base, { where: [keysetSql(['A', 'B'], '>', '__after')], orderBy: ['q.[A] ASC', 'q.[B] ASC'], limitParam: '__limit' });
  assert.equal(page, `SELECT TOP (@__limit) * FROM (\n${base}\n) AS q\nWHERE ((q.[A] > @__after0) OR (q.[A] = @__after0 AND q.[B] > @__after1))\nORDER BY q.[A] ASC, q.[B] ASC`);
  assert.equal(countSql(base), `SELECT COUNT(*) AS [Count] FROM (\n${base}\n) AS q`);
  assert.equal(probeSql('mssql', base), `SELECT TOP (0) * FROM (\n${base}\n) AS q`);
  assert.doesNotMatch(page + probeSql('mssql', base), /LIMIT/);
});

class RecordingDriver implements Driver {
  readonly dialect = 'mssql' as const;
  readonly description = 'recording';
  readonly calls: { sql: string; params: readonly BoundParam[] }[] = [];
  async query(sql: string, params: readonly BoundParam[]): Promise<QueryResult> {
    this.calls.push({ sql, params });
    return { rows: [], columns: [] };
  }
  classify = () => ({ code: 'QUERY_FAILED' as const, message: 'x' });
  async close() {}
}

test('byKeys with 4,500 keys: 3 statements, each under 2100 parameters, every key once', async () => {
  const driver = new RecordingDriver();
  const keys = Array.from({ length: 4500 }, (_, i) => `PC${i}`);
  await new SqlInventory(driver).byKeys('computers', 'Name', [...keys, 'PC1'], { managed: true });
  assert.equal(driver.calls.length, 3);
  const seen: unknown[] = [];
  for (const { sql, params } of driver.calls) {
    assert.ok(params.length <= 2100, `${params.length} parameters`);
    assert.equal(new Set(params.map((p) => p.name)).size, params.length, 'parameter names are unique');
    assert.equal(params.find((p) => p.name === 'managed')?.value, true);
    const inList = params.filter((p) => p.name.startsWith('__k'));
    for (const p of inList) assert.ok(sql.includes(`@${p.name}`) && p.type === 'string');
    seen.push(...inList.map((p) => p.value));
    assert.match(sql, /^SELECT \* FROM \(\n[\s\S]*\n\) AS q\nWHERE q\.\[Name\] IN \(@__k0, /);
  }
  assert.deepEqual(seen, keys);
});

test('parameter types: Bit, Int/BigInt, NVarChar(4000)/MAX, DateTime2(3), UniqueIdentifier; NULL keeps its type', () => {
  const t = (type: BoundParam['type'], value: BoundParam['value']) => sqlTypeOf({ name: 'p', type, value }) as mssql.ISqlType & { length?: number; scale?: number };
  assert.equal(t('bool', true).type, mssql.Bit);
  assert.equal(t('bool', null).type, mssql.Bit);
  assert.equal(t('int', 2 ** 31 - 1).type, mssql.Int);
  assert.equal(t('int', 2 ** 31).type, mssql.BigInt);
  assert.equal(t('int', -(2 ** 31) - 1).type, mssql.BigInt);
  assert.equal(t('int', null).type, mssql.Int);
  assert.deepEqual([t('string', 'x').type, t('string', 'x').length], [mssql.NVarChar, 4000]);
  assert.deepEqual([t('string', null).type, t('string', null).length], [mssql.NVarChar, 4000]);
  assert.deepEqual([t('string', 'x'.repeat(4001)).type, t('string', 'x'.repeat(4001)).length], [mssql.NVarChar, mssql.MAX]);
  assert.deepEqual([t('datetime', new Date()).type, t('datetime', null).scale], [mssql.DateTime2, 3]);
  assert.equal(t('guid', null).type, mssql.UniqueIdentifier);
});

test('pool config: secure defaults, intent, timeouts, UTC', () => {
  const c = poolConfig(parseMssqlTarget('mssql://CORP%5Cu:p@h/db?applicationIntent=ReadOnly&appName=gw&poolMax=3&requestTimeout=2000'));
  assert.deepEqual([c.server, c.port, c.database, c.user, c.password, c.domain, c.requestTimeout, c.connectionTimeout, c.pool?.max], ['h', 1433, 'db', 'u', 'p', 'CORP', 2000, 15000, 3]);
  const o = c.options!;
  assert.deepEqual([o.encrypt, o.trustServerCertificate, o.readOnlyIntent, o.appName, o.useUTC, o.instanceName], [true, false, true, 'gw', true, undefined]);
  const named = poolConfig(parseMssqlTarget('mssql://u:p@h\\SQLEXPRESS/db?encrypt=false&trustServerCertificate=true'));
  assert.deepEqual([named.options?.instanceName, named.port, named.options?.encrypt, named.options?.trustServerCertificate], ['SQLEXPRESS', undefined, false, true]);
});

test('rows as mssql returns them map to the contract: bits, Date, bigint as string, lower-case GUID', () => {
  const when = new Date('2026-11-25T10:00:00.123Z');
  const computer = mapRow('computers', DATASETS.computers.columns, {
    Guid: 'a0b1c2d3-0000-4000-8000-00000000000a', Name: 'PC1', Domain: null, IPAddress: null, IsManaged: true, HasNetworkZone: 1,
    IsOnInternet: 0, InternetModeSupported: false, AppliedPolicyCount: null, HTTPSMode: true, TLS: null, CurrentGateway: null,
    CurrentGatewayPort: null, LastSuccess: when, AuthType: 'none', AuthValidUntil: null,
  });
  assert.deepEqual([computer.Guid, computer.IsManaged, computer.HasNetworkZone, computer.IsOnInternet, computer.InternetModeSupported, computer.HTTPSMode],
    ['A0B1C2D3-0000-4000-8000-00000000000A', true, true, false, false, true]);
  assert.equal(computer.LastSuccess, when);
  const relay = mapRow('relays', DATASETS.relays.columns, {
    Name: 'R1', Online: false, LastPing: when, CacheFolderValid: true, CacheFreeBytes: '5000000000', HttpServerErrors: 0, ClientsServed: 12,
  });
  assert.deepEqual([relay.Online, relay.CacheFolderValid, relay.CacheFreeBytes], [false, true, 5_000_000_000]);
});

const driver = new MssqlDriver(parseMssqlTarget(`mssql://u:${encodeURIComponent(PW)}@db.corp:1444/CMDB`));
const requestError = (message: string, info: object, code = 'EREQUEST') =>
  new mssql.RequestError(Object.assign(new Error(message), { code, info }) as never, 'EREQUEST');
const connectionError = (message: string, code: string, cause?: object) =>
  new mssql.ConnectionError(Object.assign(new Error(message, { cause }), { code }) as never);

test('classify: connection failures are UNREACHABLE with a hint, never the password', () => {
  const cases: [Error, RegExp][] = [
    [connectionError(`Login failed for user 'u'.`, 'ELOGIN'), /Login failed .*check the user \(a Windows account needs Domain=\), the password/],
    [connectionError('Failed to connect to db.corp:1444 - self-signed certificate', 'ESOCKET', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), /trustServerCertificate=true/],
    [connectionError('Failed to connect to db.corp:1444 - boom', 'ESOCKET', { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), /certificate was not accepted/],
    [connectionError('Failed to connect to db.corp:1444 in 15000ms', 'ETIMEOUT'), /no answer within 15000 ms/],
    [connectionError('Port for SQLEXPRESS not found in db.corp', 'EINSTLOOKUP'), /SQL Browser/],
    [new mssql.ConnectionError('Connection not yet open.', 'ENOTOPEN'), /not yet open/],
    [connectionError(`odd text with ${PW} in it`, 'ESOCKET'), /odd text with \*\*\* in it/],
  ];
  for (const [error, re] of cases) {
    const { code, message } = driver.classify(error);
    assert.equal(code, 'UNREACHABLE', error.message);
    assert.match(message, /^cannot reach SQL Server db\.corp:1444 \(database CMDB\): /);
    assert.match(message, re);
    assert.ok(!message.includes('S3cr3t'), message);
  }
});

test('classify: statement timeout, missing table or column, anything else', () => {
  const timeout = driver.classify(requestError('Timeout: Request failed to complete in 5000ms', {}, 'ETIMEOUT'));
  assert.deepEqual(timeout, { code: 'TIMEOUT', message: 'statement exceeded the 5000 ms request timeout' });
  assert.deepEqual(driver.classify(requestError("Invalid object name 'gatewatch_Relay'.", { number: 208 })), {
    code: 'DATASET_UNAVAILABLE', message: "Invalid object name 'gatewatch_Relay'.",
  });
  assert.equal(driver.classify(requestError("Invalid column name 'TLS'.", { number: 207 })).code, 'DATASET_UNAVAILABLE');
  assert.equal(driver.classify(requestError("Incorrect syntax near 'LIMIT'.", { number: 102 })).code, 'QUERY_FAILED');
  assert.equal(driver.classify(new Error('something else')).code, 'QUERY_FAILED');
  assert.equal(driver.classify(Object.assign(new Error('Timeout acquiring a connection.'), { name: 'TimeoutError' })).code, 'TIMEOUT');
});

/** A TCP port that accepts connections and then says nothing, counting them. */
async function silentServer(): Promise<{ server: Server; port: number; connections: () => number }> {
  const sockets: Socket[] = [];
  const server = createServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  return { server, port: (server.address() as { port: number }).port, connections: () => sockets.length };
}

test('unreachable server: each query rejects quickly as UNREACHABLE, the next one connects again', async () => {
  const inv = new SqlInventory(new MssqlDriver(parseMssqlTarget(`mssql://u:${encodeURIComponent(PW)}@127.0.0.1:1/db?connectTimeout=1000`)));
  for (let i = 0; i < 2; i++) {
    const start = Date.now();
    await assert.rejects(inv.ping(), (e: InventoryError) => {
      assert.equal(e.code, 'UNREACHABLE');
      assert.match(e.message, /^cannot reach SQL Server 127\.0\.0\.1:1 \(database db\)/);
      assert.ok(!e.message.includes('S3cr3t'));
      return true;
    });
    assert.ok(Date.now() - start < 3000, `took ${Date.now() - start} ms`);
  }
  await inv.close();

  const { server, port, connections } = await silentServer();
  const silent = new MssqlDriver(parseMssqlTarget(`mssql://u:p@127.0.0.1:${port}/db?connectTimeout=300`));
  try {
    for (let i = 1; i <= 2; i++) {
      const err = await silent.query('SELECT 1', []).catch((e: unknown) => e);
      assert.deepEqual([silent.classify(err).code, connections()], ['UNREACHABLE', i], 'a failed pool is dropped and the next query dials again');
    }
    const pending = silent.query('SELECT 1', []).catch((e: unknown) => silent.classify(e).code);
    await silent.close(); // while connecting: waits for the attempt instead of throwing
    assert.equal(await pending, 'UNREACHABLE');
  } finally {
    server.close();
  }
});
