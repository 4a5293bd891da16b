// Response compression, negotiated the usual way (Accept-Encoding with q-values; br before gzip at
// equal preference; Vary: Accept-Encoding). GraphiQL's page is ~9 MB of inlined scripts and shrinks
// some 5x, which decides whether it opens at all over a VPN to a NOC; a page of computers shrinks ~10x.
// Bodies under MIN_COMPRESS_BYTES go as they are: a header and a zlib call cost more than they save.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

/** Smaller bodies are sent as they are. */
export const MIN_COMPRESS_BYTES = 1024;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * The encoding to answer with, or undefined for identity. A coding listed with q=0 is refused, `*`
 * stands for any coding not listed, and a header-less request gets identity (RFC 9110 §12.5.3 lets a
 * server choose, but curl without --compressed would print binary).
 */
export function negotiate(header: string | string[] | undefined): Encoding | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return undefined;
  const q = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const weight = (e: Encoding) => q.get(e) ?? q.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).filter((e) => weight(e) > 0).sort((a, b) => weight(b) - weight(a))[0];
  return best;
}

/**
 * `body` compressed as `encoding`. Brotli at quality 5: near gzip -9's size at a fraction of
 * quality 11's time, which on the GraphiQL page is tens of seconds.
 */
export function compress(body: Buffer, encoding: Encoding, level: 'fast' | 'best' = 'fast'): Promise<Buffer> {
  if (encoding === 'gzip') return gzipAsync(body, { level: level === 'best' ? 9 : 6 });
  return brotliAsync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: level === 'best' ? 9 : 5,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
}

/** A fixed body (the GraphiQL page) with each encoding compressed once, on first request, then reused. */
export class Precompressed {
  private readonly encoded = new Map<Encoding, Promise<Buffer>>();
  constructor(readonly body: Buffer) {}

  /** The body as `encoding` (computed once; identity when none). */
  as(encoding: Encoding | undefined): Promise<Buffer> {
    if (!encoding) return Promise.resolve(this.body);
    let out = this.encoded.get(encoding);
    if (!out) {
      out = compress(this.body, encoding, 'best');
      // A failure must not stick: the next request tries again.
      out.catch(() => this.encoded.delete(encoding));
      this.encoded.set(encoding, out);
    }
    return out;
  }
}

/** Headers for a compressible body: the negotiated coding, and Vary so caches key on it. */
export function encodingHeaders(encoding: Encoding | undefined, length: number): Record<string, string> {
  return { vary: 'Accept-Encoding', 'content-length': String(length), ...(encoding ? { 'content-encoding': encoding } : {}) };
}
