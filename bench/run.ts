// Benchmarks. Load mode (autocannon, the table in README "Performance"):
//   npm run bench -- --load [--quick] [--million] [--computers 200000] [--seconds 10] [--scrape-seconds 60] [--profile DIR] [--no-sqlite-inline] [--hostile-only]
// Latency mode (one request at a time, each GraphQL case against its raw SQL):
//   npm run bench [-- --computers 200000 --iterations 200]
import { parseArgs } from 'node:util';
import { runLatency } from './latency.js';
import { runLoad } from './load.js';

const { values } = parseArgs({
  options: {
    computers: { type: 'string', default: '200000' },
    iterations: { type: 'string', default: '200' },
    load: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    million: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    'scrape-seconds': { type: 'string' },
    profile: { type: 'string' },
    'no-sqlite-inline': { type: 'boolean', default: false },
    'hostile-only': { type: 'boolean', default: false },
  },
});
const computers = Number(values.computers);
// The benchmark's server is a child process: it reads the setting from the environment it inherits.
if (values['no-sqlite-inline']) process.env.GATEWATCH_SQLITE_INLINE = 'false';
// The hostile phase's 20-alias page of 1,000-row pages is estimated far over the default query cost
// (1.6 M against 100,000) and refused before any SQL: raised here, so the phase measures its execution.
process.env.GATEWATCH_MAX_QUERY_COST ??= '1000000000';
if (values.load || values['hostile-only']) {
  await runLoad({
    computers,
    seconds: Number(values.seconds ?? (values.quick ? 4 : 10)),
    scrapeSeconds: Number(values['scrape-seconds'] ?? (values.quick ? 10 : 60)),
    million: values.million,
    profile: values.profile,
    hostileOnly: values['hostile-only'],
  });
} else {
  await runLatency(computers, Number(values.iterations));
}
