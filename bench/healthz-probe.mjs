// @ts-check
// Probes <url>/healthz one request at a time, 10 ms apart, each on a fresh connection, until told to
// stop; then sends the times (ms) and the number of failed probes. In its own process, so that the
// load generator's own event loop (building 1 MiB bodies) is not counted as the server's.
import { request } from 'node:http';

const url = process.argv[2];
let over = false;
process.on('message', () => (over = true));
/** @type {number[]} */
const times = [];
let errors = 0;
/** @returns {Promise<number>} */
const once = () =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(`${url}/healthz`, { agent: false, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`/healthz ${res.statusCode}`))));
    });
    req.on('timeout', () => req.destroy(new Error('/healthz timed out')));
    req.on('error', reject);
    req.end();
  });
while (!over) {
  try {
    times.push(await once());
  } catch {
    errors++;
  }
  await new Promise((r) => setTimeout(r, 10));
}
process.send?.({ times, errors }, () => process.exit(0));
