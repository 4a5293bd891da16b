// The SQL Server driver without a server: the T-SQL wrappers, chunking under the 2100-parameter limit,
// parameter types, row mapping, error classification, and an unreachable server. Target parsing is
// in mssql-url.test.ts.
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
import { parseMssqlTarget } from '../src/inventory/mssql-url.js';
import { countSql, keysetSql, probeSql, selectSql } from '../src/inventory/sql-wrap.js';

const PW = 'S3cr3t;Pw';
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);
process.on('unhandledRejection', onUnhandled);
after(() => {
  process.off('unhandledRejection', onUnhandled);
  assert.deepEqual(unhandled, [], 'no unhandled rejection');
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
    CurrentGatewayPort: null, LastSuccess: when, AuthType: 'none', AuthValidUntil: null, LastReport: null, Reporting: 'never', AgentVersion: null,
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
