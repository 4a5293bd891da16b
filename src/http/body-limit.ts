// A cap on request bodies. Without one, a few 100 MB POSTs took the process to 1 GB of memory: yoga
// buffers a body whole before parsing it. The body is read here, at most `max` bytes of it, and handed
// to yoga already read; anything larger is answered 413 without keeping more than `max` in memory.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(req: IncomingMessage, res: ServerResponse, max: number): void {
  // The rest of the body is not worth reading: answer, then drop the connection it is still arriving on.
  res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
  res.end(
    JSON.stringify({
      errors: [{ message: `Request body larger than ${max} bytes (--max-body-bytes, GATEWATCH_MAX_BODY_BYTES).`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    }),
    () => req.destroy(),
  );
}

/**
 * Reads the body of `req` if it is at most `max` bytes. A declared Content-Length over the limit is
 * refused before reading a byte; a chunked body is counted as it streams and refused at the first
 * chunk that crosses the limit. Resolves to the body, or to undefined once it has answered 413 (or the
 * client went away before the body ended: nobody is left to answer).
 */
function readLimitedBody(req: IncomingMessage, res: ServerResponse, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (declared > max) {
    tooLarge(req, res, max);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: Buffer | undefined) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      chunks.length = 0;
      req.pause();
      tooLarge(req, res, max);
      done(undefined);
    };
    const onEnd = () => done(Buffer.concat(chunks, size));
    const onClose = () => done(undefined);
    const onError = (e: Error) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      // An aborted upload is the client's doing, not a server error.
      if ((e as { code?: string }).code === 'ECONNRESET') resolve(undefined);
      else reject(e);
    };
    req.on('data', onData).once('end', onEnd).once('close', onClose).once('error', onError);
  });
}

/**
 * Reads the body of a request that may carry one into `req.body`, where yoga (@whatwg-node/server)
 * takes a body already read. False when it answered instead (413) or the client is gone.
 */
export async function readBodyWithin(req: IncomingMessage, res: ServerResponse, max: number): Promise<boolean> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return true;
  const body = await readLimitedBody(req, res, max);
  if (!body) return false;
  // As a stream: yoga's adapter counts a body's own keys (Object.keys), and a 1 MiB Buffer has a
  // million of them: ~1 s of the event loop per large POST, refused or not.
  Object.assign(req, { body: Readable.from([body]) });
  return true;
}
