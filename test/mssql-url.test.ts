// Target parsing: the mssql:// URL and ADO connection-string forms, their defaults, one-line errors
// that never carry the password, and the password-free description used in logs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MssqlDriver, poolConfig } from '../src/inventory/mssql.js';
import { MssqlTargetError } from '../src/inventory/mssql-settings.js';
import { describeMssqlTarget, parseMssqlTarget } from '../src/inventory/mssql-url.js';

const PW = 'S3cr3t;Pw';

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
  assert.deepEqual([d.encrypt, d.trustServerCertificate, d.readOnlyIntent, d.requestTimeoutMs, d.connectTimeoutMs, d.poolMax, d.appName], [true, false, false, 5000, undefined, 10, 'gatewatch']);
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
