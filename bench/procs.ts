// Child processes of the load benchmark (the server under test, the raw ceiling) and their memory,
// read from /proc: the server's RSS plus that of every process it forked (its SQLite workers).
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Child {
  url: string;
  process: ChildProcess;
  ask<T>(message: unknown, key: string): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Forks bench/<script> (TypeScript with tsx, plain JavaScript as it is; plus extra node flags, e.g.
 * --cpu-prof) and waits for its URL.
 */
export async function start(script: string, args: string[], nodeFlags: string[] = []): Promise<Child> {
  const file = fileURLToPath(new URL(script, import.meta.url));
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = fork(file, args, { execArgv: [...loader, ...nodeFlags], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(message: unknown, key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        if (!(key in m)) return;
        child.off('message', onMessage);
        child.off('exit', reject);
        resolve(m[key] as T);
      };
      child.on('message', onMessage);
      child.once('exit', reject);
      if (message !== undefined) child.send(message as object);
    });
  const url = await ask<string>(undefined, 'url');
  return {
    url,
    process: child,
    ask,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The SQLite worker processes a server forked (not tsx's esbuild service, which production lacks). */
function workersOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the 2nd field after the parenthesised command name.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('sqlite-worker')) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** RSS in MB of a process and its children, and how many processes that was. */
export function treeRss(pid: number): { mb: number; processes: number } {
  const pids = [pid, ...workersOf(pid)];
  return { mb: pids.reduce((sum, p) => sum + rssKb(p), 0) / 1024, processes: pids.length };
}

/**
 * Samples a process tree's RSS every half second; `peak` holds the largest total seen, and `take()`
 * the largest since its previous call (one benchmark phase's).
 */
export function watchRss(pid: number) {
  const state = { peak: 0, processes: 0 };
  let phase = 0;
  const sample = () => {
    const now = treeRss(pid);
    phase = Math.max(phase, now.mb);
    if (now.mb > state.peak) Object.assign(state, { peak: now.mb, processes: now.processes });
  };
  const timer = setInterval(sample, 500);
  const take = () => {
    sample();
    const peak = phase;
    phase = 0;
    return peak;
  };
  return { state, take, stop: () => clearInterval(timer) };
}
