import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadServeConfig, parseListen } from '../src/config.js';

const fails = (flags: Record<string, string | boolean>, env: Record<string, string>, pattern: RegExp) =>
  assert.throws(() => loadServeConfig(flags, env), (e: unknown) => e instanceof ConfigError && pattern.test(e.message));

test('defaults: embedded demo inventory on loopback, demo mode opens GraphiQL and introspection', () => {
  const c = loadServeConfig({}, {});
  assert.deepEqual(c.db, { kind: 'sqlite', path: 'data/demo.sqlite' });
  assert.equal(c.embeddedDemo, true);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.port, 4000);
  assert.equal(c.mode, 'demo');
  assert.equal(c.graphiql, true);
  assert.equal(c.introspection, true);
  assert.deepEqual(c.corsOrigins, []);
});

test('a non-demo inventory is production: GraphiQL, introspection and statement counts closed', () => {
  const c = loadServeConfig({ db: 'sqlite:/srv/cmdb.sqlite' }, {});
  assert.equal(c.mode, 'production');
  assert.equal(c.graphiql, false);
  assert.equal(c.introspection, false);
  assert.equal(c.exposeStatementCount, false);
  assert.equal(c.embeddedDemo, false);
});

test('production opens only what is asked for explicitly', () => {
  const c = loadServeConfig({ db: 'x.sqlite', graphiql: true }, { GATEWATCH_INTROSPECTION: 'yes' });
  assert.equal(c.graphiql, true);
  assert.equal(c.introspection, true);
});

test('flags win over environment variables', () => {
  const c = loadServeConfig({ listen: '127.0.0.1:5000' }, { GATEWATCH_LISTEN: '127.0.0.1:6000' });
  assert.equal(c.port, 5000);
  assert.equal(loadServeConfig({}, { GATEWATCH_LISTEN: '[::1]:6000' }).host, '::1');
});

test('production on a public address needs a token or an explicit anonymous opt-in', () => {
  fails({ db: 'a.sqlite', listen: '0.0.0.0:4000' }, {}, /GATEWATCH_API_TOKEN/);
  assert.equal(loadServeConfig({ db: 'a.sqlite', listen: '0.0.0.0:4000' }, { GATEWATCH_API_TOKEN: 'x'.repeat(20) }).apiToken, 'x'.repeat(20));
  assert.equal(loadServeConfig({ db: 'a.sqlite', listen: '0.0.0.0:4000', 'allow-anonymous': true }, {}).allowAnonymous, true);
  fails({}, { GATEWATCH_API_TOKEN: 'short' }, /at least 16 characters/);
});

test('the simulator only ever writes to a SQLite demo inventory', () => {
  assert.equal(loadServeConfig({ 'demo-live': true }, {}).demoLive, true);
  fails({ db: 'b.sqlite', 'demo-live': true }, {}, /live simulator/);
  fails({ 'demo-live': true, mode: 'production' }, {}, /live simulator/);
});

test('bad values stop with one line naming the setting', () => {
  fails({ listen: 'localhost' }, {}, /^--listen: expected HOST:PORT/);
  fails({}, { GATEWATCH_LISTEN: '127.0.0.1:99999' }, /^GATEWATCH_LISTEN: expected HOST:PORT/);
  fails({}, { GATEWATCH_DEMO_LIVE: 'maybe' }, /^GATEWATCH_DEMO_LIVE: expected true or false/);
  fails({}, { GATEWATCH_MODE: 'prod' }, /^GATEWATCH_MODE: expected demo or production/);
  fails({}, { GATEWATCH_REQUEST_TIMEOUT_MS: '5s' }, /^GATEWATCH_REQUEST_TIMEOUT_MS: expected a whole number/);
  fails({ db: 'postgres://x' }, {}, /^--db \(GATEWATCH_DB\): database URL not recognised/);
  fails({ db: 'sqlite:' }, {}, /no file path/);
});

test('listen addresses', () => {
  assert.deepEqual(parseListen('0.0.0.0:80', 'x'), { host: '0.0.0.0', port: 80 });
  assert.deepEqual(parseListen('[::]:4000', 'x'), { host: '::', port: 4000 });
  assert.throws(() => parseListen(':4000', 'x'), ConfigError);
});

test('demo mode does not lift the token rule for a real inventory', () => {
  fails({ db: 'mssql://u:p@cmdb/CMDB', mode: 'demo', listen: '0.0.0.0:4000' }, {}, /GATEWATCH_API_TOKEN/);
  assert.equal(loadServeConfig({ listen: '0.0.0.0:4000' }, {}).host, '0.0.0.0', 'the embedded demo may be shown on a LAN');
});

test('statement timeout: unset unless given, so a SQL Server URL keeps its own', () => {
  assert.equal(loadServeConfig({}, {}).requestTimeoutMs, undefined);
  assert.equal(loadServeConfig({ 'request-timeout': '750' }, {}).requestTimeoutMs, 750);
});

test('queries directory and CORS origins are checked at start', () => {
  fails({ 'queries-dir': '/no/such/dir' }, {}, /^--queries-dir: "\/no\/such\/dir" is not a directory/);
  assert.deepEqual(loadServeConfig({}, { GATEWATCH_CORS_ORIGINS: 'https://grafana.corp.example, http://localhost:3000' }).corsOrigins, [
    'https://grafana.corp.example',
    'http://localhost:3000',
  ]);
  assert.deepEqual(loadServeConfig({}, {}).corsOrigins, []);
  fails({}, { GATEWATCH_CORS_ORIGINS: '*' }, /^GATEWATCH_CORS_ORIGINS: expected origins like/);
});
