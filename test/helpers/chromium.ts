// Headless Chromium (Debian's package) opening one page and printing its DOM, for the browser tests.
// It starts with a fresh profile and none of its background networking (the machine has no network
// but loopback); the caller adds what the page needs: host-resolver rules, window size, how much
// virtual time the page's timers may run.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = 'chromium';

/** Chromium's DOM after it opened `url` (and followed wherever the page sent it). */
export async function dumpDom(url: string, args: readonly string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'gatewatch-chromium-'));
  const all = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`,
    ...args, '--dump-dom', url,
  ];
  const proc = spawn(CHROMIUM, all, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  proc.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  let timer: NodeJS.Timeout | undefined;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      proc.once('error', reject);
      proc.once('exit', (c) => resolve(c));
      // A hung browser must not hold the suite: generous, and only ever a failure.
      timer = setTimeout(() => reject(new Error(`chromium did not finish in 150 s:\n${err.slice(-2000)}`)), 150_000);
    });
    assert.equal(code, 0, `chromium exited with ${code}:\n${err.slice(-2000)}`);
    return out;
  } finally {
    clearTimeout(timer);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    rmSync(profile, { recursive: true, force: true });
  }
}
