// Where `gatewatch demo --out` may write. The file is renamed over its target, which would silently
// replace anything at that path (another database, a text file, a device node as root): only a
// gatewatch demo file, recognised by its SQLite application_id, or a new regular file is allowed.
import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import * as F from './fleet.js';

/** The demo cannot be written where it was asked to go; the message is one line for the user. */
export class DemoTargetError extends Error {
  override readonly name = 'DemoTargetError';
}

const SQLITE_MAGIC = 'SQLite format 3\0';
/** The application_id sits at offset 68 of a SQLite file's header, big-endian. */
const APPLICATION_ID_OFFSET = 68;

/** True when `path` is a regular file whose SQLite header carries the demo's application_id. */
export function isDemoFile(path: string): boolean {
  const header = Buffer.alloc(100);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, header, 0, header.length, 0) < header.length) return false;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return header.toString('latin1', 0, 16) === SQLITE_MAGIC && header.readUInt32BE(APPLICATION_ID_OFFSET) === F.DEMO_APPLICATION_ID;
}

/**
 * Throws DemoTargetError unless `path` is free or holds a gatewatch demo file. lstat, not stat: a
 * symbolic link would be replaced by the file, not written through, so it is refused too.
 */
export function checkDemoTarget(path: string): void {
  let st;
  try {
    st = lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new DemoTargetError(`cannot write the demo inventory to ${path}: ${describeFsError(e)}`);
  }
  const refuse = (what: string) =>
    new DemoTargetError(`refusing to replace ${path}: ${what}, not a gatewatch demo inventory; give --out a new file or an earlier demo file`);
  if (st.isDirectory()) throw refuse('it is a directory');
  if (st.isSymbolicLink()) throw refuse('it is a symbolic link');
  if (!st.isFile()) throw refuse('it is not a regular file');
  if (!isDemoFile(path)) throw refuse(st.size === 0 ? 'it is an empty file' : 'it is a file');
}

/** A file-system error as a short phrase (no stack, no syscall noise). */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const phrases: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is not a directory',
    EISDIR: 'it is a directory',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    ENOENT: 'no such file or directory',
    SQLITE_CANTOPEN: 'cannot create a file there',
    SQLITE_READONLY: 'read-only place',
    SQLITE_FULL: 'no space left on the device',
  };
  const code = err?.code ?? '';
  return phrases[code] ?? (code ? `${code}: ${err.message}` : String(err?.message ?? e));
}

/** File-system and SQLite open/write errors: the user's to fix, reported in one line. */
export function isPlaceError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && (/^E[A-Z]+$/.test(code) || /^SQLITE_(CANTOPEN|READONLY|FULL|IOERR|PERM)/.test(code));
}
