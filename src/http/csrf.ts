// Cross-site request forgery: without a token (loopback, --allow-anonymous) any web page the operator
// opens could have the browser send requests to gatewatch. A browser sends a form, multipart or
// text/plain POST, and any GET, to another site without asking it first (no CORS preflight), and
// although the page cannot read the answer, the request runs. So only JSON bodies are executed (a page
// on another origin must ask first, and only --cors-origin pages are let through), and a GET the
// browser marks as coming from another site runs no query. Scripts, curl, Prometheus and Grafana's
// back end send no Origin and no Sec-Fetch-Site: nothing changes for them. The GraphQL-over-HTTP
// spec's guidance and yoga's own useCSRFPrevention are the models; yoga's would break plain `curl
// 'http://…/graphql?query=…'`, which this keeps working.
import type { IncomingMessage } from 'node:http';
import { S } from '../settings.js';

/**
 * POST bodies executed: the JSON types yoga parses. Both need a preflight from another origin; the
 * form, multipart and text/plain bodies yoga also parses can come from a plain HTML form.
 */
const EXECUTED_TYPES = new Set(['application/json', 'application/graphql+json']);

export interface Refusal {
  status: 403 | 415;
  headers: Record<string, string>;
  body: { errors: { message: string; extensions: { code: string } }[] };
}

const refusal = (status: Refusal['status'], code: string, message: string, headers: Record<string, string> = {}): Refusal => ({
  status,
  headers,
  body: { errors: [{ message, extensions: { code } }] },
});

/** The media type alone, as a browser decides whether it needs a preflight: `text/plain; x=application/json` is text/plain. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * Whether a browser says this request comes from a page of another origin that --cors-origin does not
 * list. Sec-Fetch-Site is the browser's own verdict (sent by every current browser, on no-cors GETs
 * too); without it, an Origin naming another host than the one asked. Same-site is not enough: another
 * port of localhost is another application.
 */
export function fromForeignPage(req: IncomingMessage, allowed: readonly string[] = []): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && allowed.includes(origin)) return false;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true; // `Origin: null`: a sandboxed frame, a file:// page, a redirect across sites
  }
}

/**
 * Why a GraphQL request must not run, or undefined when it may. Checked before its body is read. CORS
 * preflights are left to yoga, which answers only --cors-origin pages.
 */
export function crossSiteRefusal(req: IncomingMessage, allowed: readonly string[] = []): Refusal | undefined {
  if (req.method === 'OPTIONS') return undefined;
  if (req.method === 'POST') {
    const type = mediaType(req.headers['content-type']);
    if (!EXECUTED_TYPES.has(type)) {
      return refusal(
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `Send GraphQL POST bodies as Content-Type: application/json, not ${type ? JSON.stringify(type) : 'without a Content-Type'}: form, multipart and text/plain bodies are refused, since any web page can make a browser send those to this server.`,
        { 'accept-post': 'application/json' },
      );
    }
  }
  if (fromForeignPage(req, allowed)) {
    return refusal(
      403,
      'CROSS_SITE_REQUEST',
      `Refused: the browser says this request comes from a page of another site (${req.headers.origin ?? 'no Origin sent'}). To let a web page query gatewatch, list its origin in --${S.corsOrigins.flag} (${S.corsOrigins.env}).`,
    );
  }
  return undefined;
}
