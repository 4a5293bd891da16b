// Follows the BrokerService*.log files of one directory, reading only bytes not read before. Each file
// is known by its identity (device and inode), so a rotation (a new file under the name, the old one
// renamed) is a new file from its start, and the old one is read to its end while it is still there;
// a file shorter than what was read, or whose first bytes changed, was truncated (and maybe rewritten)
// and is read again from its start. Bytes after the
// last line break stay pending until their line break arrives. No file is held open between polls: an
// SMB share of the core's log folder must stay free for BrokerService.exe to rotate it.
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The file names BrokerService writes (and rotates) in the core's log folder. */
export const DEFAULT_PATTERN = /^BrokerService.*\.log$/i;
/** A line longer than this is not a BrokerService row (they are ~120 bytes): dropped as too_long. */
export const MAX_LINE_BYTES = 64 * 1024;
/** At most this much is read per poll, so a large backlog at start is spread over several polls. */
const MAX_BYTES_PER_POLL = 16 * 1024 * 1024;
const CHUNK = 1024 * 1024;
/** Enough of a file's start to tell a rewrite: its first row's timestamp and ids. */
const HEAD_BYTES = 64;

interface Followed {
  name: string;
  offset: number;
  /** Bytes after the last line break (at most MAX_LINE_BYTES). */
  partial: Buffer;
  /** Past MAX_LINE_BYTES: the rest of that line is skipped up to its line break. */
  skipping: boolean;
  /** The file's first bytes as read, and its mtime: a file rewritten to the same size or more since is told by them. */
  head: Buffer;
  mtime: number;
}

export interface TailSink {
  /** One complete line, without its line break (may be invalid UTF-8: the sink decides). */
  line(bytes: Buffer): void;
  /** A line dropped whole: too long, or never finished before its file went away or was truncated. */
  dropped(reason: 'too_long' | 'incomplete'): void;
  bytes(n: number): void;
}

export interface PollResult {
  /** The directory could be listed. */
  ok: boolean;
  files: number;
  error?: string;
}

export class DirTail {
  private readonly files = new Map<string, Followed>();

  constructor(
    readonly dir: string,
    private readonly sink: TailSink,
    private readonly pattern: RegExp = DEFAULT_PATTERN,
  ) {}

  /** Bytes of lines still waiting for their line break. */
  get pendingBytes(): number {
    let n = 0;
    for (const f of this.files.values()) n += f.partial.length;
    return n;
  }

  /** Reads what was appended since the last poll, oldest file first. */
  async poll(): Promise<PollResult> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      return { ok: false, files: this.files.size, error: (e as Error).message };
    }
    // Every name that may be a BrokerService file, followed or rotated (BrokerService.log.1, .old, …).
    const seen = new Map<string, { name: string; size: number; mtime: number; live: boolean }>();
    for (const name of names.filter((n) => /^BrokerService/i.test(n))) {
      const st = await stat(join(this.dir, name), { bigint: true }).catch(() => undefined);
      if (!st?.isFile()) continue;
      const id = `${st.dev}:${st.ino}`;
      const live = this.pattern.test(name);
      // A hard link (or a share listing a file twice) must not be read twice.
      if (!seen.has(id) || live) seen.set(id, { name, size: Number(st.size), mtime: Number(st.mtimeMs), live });
    }
    for (const [id, f] of this.files) {
      if (seen.has(id)) continue;
      // Gone (deleted, or rotated to a name we do not see): its unfinished line will never end.
      if (f.partial.length || f.skipping) this.sink.dropped('incomplete');
      this.files.delete(id);
    }
    let budget = MAX_BYTES_PER_POLL;
    for (const [id, file] of [...seen].sort((a, b) => a[1].mtime - b[1].mtime)) {
      let f = this.files.get(id);
      // A file renamed away from the pattern before we ever saw it is history we were not asked to read.
      if (!f && !file.live) continue;
      if (!f) this.files.set(id, (f = { name: file.name, offset: 0, partial: Buffer.alloc(0), skipping: false, head: Buffer.alloc(0), mtime: 0 }));
      f.name = file.name;
      const changed = file.mtime !== f.mtime;
      f.mtime = file.mtime;
      if (file.size < f.offset || (changed && !(await this.sameHead(f)))) {
        if (f.partial.length || f.skipping) this.sink.dropped('incomplete');
        Object.assign(f, { offset: 0, partial: Buffer.alloc(0), skipping: false, head: Buffer.alloc(0) });
      }
      if (file.size > f.offset && budget > 0) budget -= await this.readNew(f, Math.min(file.size, f.offset + budget));
      // A rotated file read to its end gets no more bytes: its last line is as finished as it will be.
      if (!file.live && f.offset >= file.size && f.partial.length) {
        this.sink.line(f.partial);
        f.partial = Buffer.alloc(0);
      }
    }
    return { ok: true, files: this.files.size };
  }

  /** Whether the file still starts with the bytes read from it (a few bytes, only after it changed). */
  private async sameHead(f: Followed): Promise<boolean> {
    if (!f.head.length) return true;
    const handle = await open(join(this.dir, f.name), 'r').catch(() => undefined);
    if (!handle) return true;
    try {
      const buf = Buffer.alloc(f.head.length);
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      return bytesRead === buf.length && buf.equals(f.head);
    } finally {
      await handle.close();
    }
  }

  private async readNew(f: Followed, end: number): Promise<number> {
    const start = f.offset;
    const handle = await open(join(this.dir, f.name), 'r').catch(() => undefined);
    if (!handle) return 0;
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      while (f.offset < end) {
        const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK, end - f.offset), f.offset);
        if (!bytesRead) break;
        if (f.offset < HEAD_BYTES) f.head = Buffer.concat([f.head, buf.subarray(0, Math.min(bytesRead, HEAD_BYTES - f.offset))]);
        f.offset += bytesRead;
        this.sink.bytes(bytesRead);
        this.split(f, buf.subarray(0, bytesRead));
      }
    } finally {
      await handle.close();
    }
    return f.offset - start;
  }

  private split(f: Followed, chunk: Buffer): void {
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1; nl = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, nl);
      from = nl + 1;
      if (f.skipping) {
        f.skipping = false;
        continue;
      }
      const line = f.partial.length ? Buffer.concat([f.partial, piece]) : piece;
      f.partial = Buffer.alloc(0);
      if (line.length > MAX_LINE_BYTES) this.sink.dropped('too_long');
      else this.sink.line(line);
    }
    if (f.skipping || from >= chunk.length) return;
    const rest = chunk.subarray(from);
    if (f.partial.length + rest.length > MAX_LINE_BYTES) {
      this.sink.dropped('too_long');
      f.partial = Buffer.alloc(0);
      f.skipping = true;
    } else f.partial = Buffer.concat([f.partial, rest]);
  }
}
