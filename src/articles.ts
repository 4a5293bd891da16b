// The three vendor troubleshooting articles gatewatch's checks, metrics and runbooks follow, named as
// an operator would look them up: vendor, product and title. Every user-facing citation (diagnosis
// check sources, metric help, runbooks) is built from here, so an article is named one way only.

export interface Article {
  /** Short form for dense output: vendor and product. */
  short: string;
  /** The full citation: vendor, product, title. */
  title: string;
}

export const ARTICLES = {
  /** Part 1: ITMS 8.8.1+, the Internet Gateway blocking agents; Part 2: CEM connection reporting (ITMS 8.7–8.8). */
  itms: {
    short: 'Broadcom ITMS CEM',
    title:
      'Broadcom (Symantec) ITMS article on ephemeral-certificate troubleshooting (Part 1, ITMS 8.8.1+) and CEM connection reporting (Part 2, ITMS 8.7–8.8, which cites KB 187342, "Reports, filters, and SQL queries to identify computers using Cloud-enabled Management")',
  },
  csa: {
    short: 'Ivanti CSA',
    title: 'Ivanti, "How to troubleshoot the Cloud Services Appliance (CSA) / Management Gateway" (Endpoint Manager 9.6–2017.x)',
  },
  languard: {
    short: 'GFI LanGuard',
    title: 'GFI, "LanGuard Agent Communications Workflow and Diagnostic"',
  },
} as const satisfies Record<string, Article>;

export type ArticleId = keyof typeof ARTICLES;

/** A citation for one section of an article, short enough for a table column: `Broadcom ITMS CEM, Part 1 step 2: …`. */
export function cite(article: ArticleId, section: string): string {
  return `${ARTICLES[article].short}, ${section}`;
}

/** The articles `citations` (made by cite) name, in ARTICLES order: for a list of full titles under them. */
export function citedArticles(citations: readonly string[]): Article[] {
  return Object.values(ARTICLES).filter((a) => citations.some((c) => c.startsWith(`${a.short}, `)));
}
