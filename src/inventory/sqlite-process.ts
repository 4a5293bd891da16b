// The SQLite worker processes (sqlite-worker.js) as the lanes start and talk to them.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./sqlite-worker.js', import.meta.url));
/**
 * A number per statement text, shared by all lanes, so a worker is sent each text once. Only the
 * first texts get one: batch look-ups make a text per key count, and neither side may grow without
 * bound; a text without a number is simply sent every time.
 */
const ids = new Map<string, number>();
const MAX_IDS = 500;
export const idOf = (sql: string): number | undefined => {
  let id = ids.get(sql);
  if (id === undefined && ids.size < MAX_IDS) ids.set(sql, (id = ids.size));
  return id;
};

/**
 * A worker's JavaScript is a message handler around native code (SQLite, JSON): V8's optimizing
 * compilers buy it nothing measurable, and without them each worker is ~7 MB smaller. Lite mode
 * cannot run WebAssembly: V8 before 13 (Node 20, 22) warns on stderr that it turned it off unless
 * told to, and V8 13 (Node 24, the image's) has no such flag and refuses to start with it.
 */
export const WORKER_V8_FLAGS = Number(process.versions.v8.split('.')[0]) < 13 ? ['--lite-mode', '--no-expose-wasm'] : ['--lite-mode'];

/** A new worker for the file; it says `{ ready: true }` once SQLite is loaded. */
export function forkWorker(path: string, busyTimeoutMs: number): ChildProcess {
  const args = [JSON.stringify({ path, busyTimeoutMs })];
  // Plain JavaScript needs none of our loader flags. SQLite gives text, numbers and NULL only
  // (no bigint without safeIntegers, no blobs in the contract): JSON carries them, and measured as
  // fast as 'advanced' serialization with rows as arrays.
  return fork(WORKER, args, { execArgv: WORKER_V8_FLAGS, serialization: 'json', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Whether a worker process (and its IPC channel) keeps this process alive. */
export function hold(worker: ChildProcess, busy: boolean): void {
  const channel = worker.channel as { ref(): void; unref(): void } | null | undefined;
  if (busy) {
    worker.ref();
    channel?.ref();
  } else {
    worker.unref();
    channel?.unref();
  }
}
