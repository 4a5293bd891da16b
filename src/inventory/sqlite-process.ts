// The SQLite worker processes (sqlite-worker.js) as the lanes start and talk to them.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./sqlite-worker.js', import.meta.url));
/** A number per statement text, shared by all lanes; the texts are the datasets' few wrappings. */
const ids = new Map<string, number>();
export const idOf = (sql: string): number => {
  let id = ids.get(sql);
  if (id === undefined) ids.set(sql, (id = ids.size));
  return id;
};

/** A new worker for the file; it says `{ ready: true }` once SQLite is loaded. */
export function forkWorker(path: string, busyTimeoutMs: number): ChildProcess {
  const args = [JSON.stringify({ path, busyTimeoutMs })];
  // Plain JavaScript needs none of our loader flags. SQLite gives text, numbers and NULL only
  // (no bigint without safeIntegers, no blobs in the contract): JSON carries them, and measured as
  // fast as 'advanced' serialization with rows as arrays.
  return fork(WORKER, args, { execArgv: [], serialization: 'json', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
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
