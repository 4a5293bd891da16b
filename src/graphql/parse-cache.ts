// The caches behind yoga's parse and validation cache, bounded by bytes instead of entries. yoga's
// default keeps 1,024 documents for an hour whatever their size: unique 1 MiB documents cost 70–145
// MB of heap each, and ~50 of them ended the process. Here each entry is charged what its document
// costs on the heap once parsed, the least recently used go first, and a document too large to be
// worth keeping is not kept at all. The validation cache is yoga's WeakMap keyed by the parsed
// document, so it lives and dies with these entries.
import type { DocumentNode } from 'graphql';
import type { YogaServerOptions } from 'graphql-yoga';

type CacheOptions = Exclude<NonNullable<YogaServerOptions<object, object>['parserAndValidationCache']>, boolean>;

/**
 * Heap bytes per character of document text once parsed, with graphql-js's locations and token
 * list: measured at 25 (repeated fields) to 70 (many small operations); the worst is charged.
 */
export const HEAP_BYTES_PER_CHAR = 80;

/** No single document may take more than this share of the cache: one large one must not flush it. */
const LARGEST_SHARE = 8;

export class ByteBoundedCache<T> {
  private readonly entries = new Map<string, { value: T; bytes: number }>();
  private total = 0;

  constructor(readonly maxBytes: number) {}

  /** What an entry for this key is charged: the text of the key and its parsed document. */
  static charge(key: string): number {
    return key.length * (HEAP_BYTES_PER_CHAR + 1);
  }

  get(key: string): T | undefined {
    // Too large to have been kept: no need to hash it.
    if (ByteBoundedCache.charge(key) > this.maxBytes / LARGEST_SHARE) return undefined;
    const e = this.entries.get(key);
    if (!e) return undefined;
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  set(key: string, value: T): void {
    const bytes = ByteBoundedCache.charge(key);
    if (bytes > this.maxBytes / LARGEST_SHARE) return;
    const old = this.entries.get(key);
    if (old) {
      this.total -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(k);
      this.total -= e.bytes;
    }
  }

  /** Bytes charged and entries held now: for tests and for whoever wonders where the heap went. */
  usage(): { bytes: number; entries: number } {
    return { bytes: this.total, entries: this.entries.size };
  }
}

export interface ParseCaches {
  documents: ByteBoundedCache<DocumentNode>;
  errors: ByteBoundedCache<unknown>;
}

/** Every handler's caches, weakly (yoga holds them): a test sees what the process holds, a dropped handler's go. */
const live = new Set<WeakRef<ByteBoundedCache<unknown>>>();

/** yoga's parserAndValidationCache: documents and parse errors share the budget, documents most of it. */
export function parseCaches(maxBytes: number): { caches: ParseCaches; options: CacheOptions } {
  const caches: ParseCaches = {
    documents: new ByteBoundedCache<DocumentNode>(Math.floor(maxBytes * 0.75)),
    errors: new ByteBoundedCache<unknown>(Math.floor(maxBytes * 0.25)),
  };
  for (const c of [caches.documents, caches.errors]) live.add(new WeakRef(c));
  return { caches, options: { documentCache: caches.documents, errorCache: caches.errors, validationCache: true } };
}

/** Bytes charged and entries held by the parse caches of every handler in this process. */
export function parseCacheUsage(): { bytes: number; entries: number; maxBytes: number } {
  const out = { bytes: 0, entries: 0, maxBytes: 0 };
  for (const ref of live) {
    const cache = ref.deref();
    if (!cache) {
      live.delete(ref);
      continue;
    }
    const u = cache.usage();
    out.bytes += u.bytes;
    out.entries += u.entries;
    out.maxBytes += cache.maxBytes;
  }
  return out;
}
