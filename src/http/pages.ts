// What a browser gets at /graphql: GraphiQL, sent precompressed, when it is on; otherwise a short
// page saying it is off and how to turn it on, instead of yoga's "Must provide query string." JSON,
// which reads as a broken server to someone who followed the README into production mode.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { graphiqlOptions, renderOfflineGraphiQL } from '../graphql/graphiql.js';
import { S } from '../settings.js';
import { encodingHeaders, negotiate, Precompressed } from './compress.js';

/** A page load, as yoga decides when to render GraphiQL: a GET that accepts HTML. */
export function wantsPage(req: IncomingMessage): boolean {
  return req.method === 'GET' && /\btext\/html\b/.test(String(req.headers.accept ?? ''));
}

/** A GET carrying an operation (?query=...): a GraphQL request, whatever its Accept says. */
export function hasQuery(req: IncomingMessage): boolean {
  return new URL(req.url ?? '/', 'http://x').searchParams.has('query');
}

let graphiql: Promise<Precompressed> | undefined;

/** GraphiQL's page, rendered and (per encoding) compressed once for the life of the process. */
export async function sendGraphiQL(req: IncomingMessage, res: ServerResponse): Promise<void> {
  graphiql ??= renderOfflineGraphiQL(graphiqlOptions).then((html) => new Precompressed(Buffer.from(html)));
  const page = await graphiql;
  const encoding = negotiate(req.headers['accept-encoding']);
  const body = await page.as(encoding);
  // The same URL answers JSON to scripts: caches must key on Accept as well.
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...encodingHeaders(encoding, body.length), vary: 'Accept, Accept-Encoding' });
  res.end(body);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page for a browser when GraphiQL is off. Status 200, not 404: /graphql is the right address
 * and answers GraphQL; a 404 would tell the operator (and any link checker) that it is not there.
 */
export function sendGraphiQLOff(req: IncomingMessage, res: ServerResponse, tokenRequired: boolean): void {
  const endpoint = escapeHtml(`http://${req.headers.host ?? '127.0.0.1:4000'}/graphql`);
  const auth = tokenRequired ? ` \\\n  -H "authorization: Bearer $${S.apiToken.env}"` : '';
  const query = escapeHtml(`'{"query":"{ gateways { name online registered troubleshootingMode } }"}'`);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gatewatch: GraphiQL is off</title></head>
<body style="font-family: sans-serif; max-width: 44em; margin: 2em auto">
<h1>GraphiQL is off</h1>
<p>This address answers GraphQL requests, but the in-browser editor (GraphiQL) is off: production mode
(<code>gatewatch serve --db …</code>) turns it off unless asked.</p>
<p>To open it here, start gatewatch with <code>--${S.graphiql.flag}</code> (or set <code>${S.graphiql.env}=true</code>),
and <code>--${S.introspection.flag}</code> (<code>${S.introspection.env}=true</code>) for its Docs pane and completion.</p>
<p>Or ask from a shell:</p>
<pre>curl -s ${endpoint} -H 'content-type: application/json'${auth} \\
  -d ${query}</pre>
</body></html>
`;
  const body = Buffer.from(html);
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', vary: 'Accept', 'content-length': String(body.length) });
  res.end(body);
}
