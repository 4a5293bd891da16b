// Imported first by the CLI, before anything loads graphql-js. What it sets is for how gatewatch
// runs for real; tests and libraries importing the modules are left alone.
import { setFlagsFromString } from 'node:v8';

// Unless NODE_ENV is "production" when graphql-js loads, its executor checks on every instanceof
// that only one copy of graphql is installed: about 40 % of the GraphQL time of a 50-row page
// (measured in-process). An explicit NODE_ENV still wins. It changes nothing else gatewatch relies
// on (graphql-yoga only looks for "development").
process.env.NODE_ENV ??= 'production';

// V8 lets the old generation grow to up to 4× what survived the last full collection before it
// collects again. Under load, concurrent requests keep their objects across the wait for SQLite, so
// many survive into the old generation: with 50 connections the heap climbed from 24 MB live to
// ~104 MB between collections, and the server's RSS from 71 to ~200 MB. Growing 1.5× keeps it near
// 135 MB at the same throughput, within this machine's noise (nested query, 50 connections, runs
// interleaved). A flag given to node (`node --heap-growing-percent=N dist/cli.js`) still wins; V8
// accepts it with dashes or underscores, and NODE_OPTIONS refuses it.
const given = process.execArgv.some((a) => a.replace(/_/g, '-').startsWith('--heap-growing-percent'));
if (!given) setFlagsFromString('--heap-growing-percent=50');
