// GraphiQL served from the package itself: yoga's default page loads its scripts and styles from a
// CDN, which an air-gapped ITMS site cannot reach (the page then stays at "Loading…" forever).
// @graphql-yoga/render-graphiql inlines all of it, the editor's workers included.
import type { GraphiQLOptions } from 'graphql-yoga';

/** What an operator opening GraphiQL most likely came to ask: is a gateway unhealthy, and whom does it block? */
export const DEFAULT_QUERY = `# Are the gateways healthy, and whom do they block?
# Ctrl-Enter runs it; the Docs pane lists every field.
{
  gateways {
    name
    online
    registered
    troubleshootingMode
    brokerHealthy
    brokerConnections { core count healthy }
  }
  blockedAgents(filter: { status: PENDING }, first: 10) {
    totalCount
    nodes { agentName reportedBy reason createdAt }
  }
}
`;

// yoga's GraphiQL opens on `query` (else its own welcome text), which its options type leaves out;
// `defaultQuery` alone would only fill tabs that GraphiQL never creates that way.
export const graphiqlOptions = { title: 'gatewatch', defaultQuery: DEFAULT_QUERY, query: DEFAULT_QUERY } as GraphiQLOptions;

const pages = new Map<string, Promise<string>>();

/**
 * yoga's `renderGraphiQL`. The page is some 9 MB of inlined assets: its module is loaded on first
 * use only (production, with GraphiQL off, never loads it) and each page is rendered once.
 */
export function renderOfflineGraphiQL(opts: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(opts);
  let page = pages.get(key);
  if (!page) {
    page = import('@graphql-yoga/render-graphiql').then((m) => m.renderGraphiQL(opts));
    pages.set(key, page);
  }
  return page;
}
