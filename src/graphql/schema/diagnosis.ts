// The troubleshooting verdict: Computer.diagnosis (the checklist of one agent, batched per level) and
// diagnosisSummary (managed agents per verdict, counted in SQL). Both come from src/diagnosis/checks.ts.
import { citedArticles } from '../../articles.js';
import type { CheckResult, Diagnosis, VerdictCount } from '../../diagnosis/run.js';
import { STATUSES } from '../../diagnosis/sql-parts.js';
import { builder } from '../builder.js';
import { readFleetVerdicts } from '../diagnosis-data.js';
import { columns, Computer } from './computer.js';
import { Verdict } from './enums.js';

const STATUS_DOCS: Record<string, string> = {
  PASS: 'The check holds for this agent.',
  FAIL: 'The check fails: the first failing check is the verdict.',
  WARN: 'Worth a look, but the agent can still connect (e.g. LATE reporting).',
  UNKNOWN: 'The inventory lacks the facts to decide.',
  NOT_APPLICABLE: 'The check does not concern this agent (e.g. gateway checks for a computer on the LAN).',
};

const CheckStatus = builder.enumType('CheckStatus', {
  description: 'A check\'s outcome; NOT_APPLICABLE: it does not concern this agent (e.g. gateway checks on the LAN).',
  values: Object.fromEntries(STATUSES.map((s) => [s, { value: s, description: STATUS_DOCS[s] }])) as Record<string, { value: string }>,
});

const DiagnosisCheck = builder.objectRef<CheckResult>('DiagnosisCheck').implement({
  description: 'One step of the articles\' troubleshooting flow, as it stands for this agent.',
  fields: (t) => ({
    id: t.exposeString('id', { description: 'The verdict when this is the first check to fail.' }),
    title: t.exposeString('title', { description: 'What the check verifies, e.g. "Gateway registered with the Notification Server".' }),
    status: t.field({ type: CheckStatus, description: 'Its outcome for this agent.', resolve: (c) => c.status }),
    detail: t.exposeString('detail', { description: 'The facts behind the status.' }),
    remedy: t.exposeString('remedy', { description: 'What to do when it fails, and where.' }),
    source: t.exposeString('source', { description: 'The vendor article (short form) and the section this check follows, e.g. "Broadcom ITMS CEM, Part 1 step 2: …".' }),
    article: t.string({
      description: 'The full citation of the article `source` names: vendor, product and title.',
      resolve: (c) => citedArticles([c.source])[0]?.title ?? c.source,
    }),
    runbook: t.exposeString('runbook', { description: 'Anchor of its section in the runbooks (docs/runbooks.md, wherever they are published: GATEWATCH_RUNBOOK_BASE_URL).' }),
  }),
});

const DiagnosisType = builder.objectRef<Diagnosis>('Diagnosis').implement({
  description: 'The troubleshooting checklist of one agent, in the articles\' order.',
  fields: (t) => ({
    verdict: t.field({ type: Verdict, description: 'The first check that fails, or HEALTHY.', resolve: (d) => d.verdict }),
    summary: t.exposeString('summary', { description: 'The verdict in one line: the failing check and its facts.' }),
    checks: t.field({ type: [DiagnosisCheck], description: 'Every check in the articles\' order, passing and not applicable ones included.', resolve: (d) => d.checks }),
  }),
});

builder.objectField(Computer, 'diagnosis', (t) =>
  t.field({
    type: DiagnosisType,
    nullable: true,
    description: 'Why this agent is (not) connecting: every check with its status; the verdict is the first that fails.',
    ...columns('Guid'),
    resolve: (c, _args, ctx) => ctx.loaders.diagnosisByGuid.load(c.Guid),
  }),
);

const VerdictCountType = builder.objectRef<VerdictCount & { asOf: Date }>('VerdictCount').implement({
  description: 'How many managed agents have one verdict.',
  fields: (t) => ({
    verdict: t.field({ type: Verdict, description: 'The verdict (the first troubleshooting check that fails).', resolve: (v) => v.verdict }),
    count: t.exposeInt('count', { description: 'Managed computers with this verdict.' }),
    asOf: t.expose('asOf', {
      type: 'DateTime',
      description: "When the count was made: the background snapshot's time (the same for every verdict), or this request's with live: true.",
    }),
  }),
});

builder.queryField('diagnosisSummary', (t) =>
  t.field({
    type: [VerdictCountType],
    description:
      'Managed computers per troubleshooting verdict (every verdict, 0 when none); they add up to the managed total. ' +
      'A snapshot: served from the background refresh (by default every 5 minutes; asOf says when) unless live: true, so it may differ from ' +
      '`computers(filter: { verdict }).totalCount`, which always counts now. Ask both with live: true to compare.',
    args: { live: t.arg.boolean({ defaultValue: false, description: 'Count now instead of serving the background snapshot.' }) },
    resolve: async (_root, args, ctx) => {
      const { rows, asOf } = await readFleetVerdicts(ctx, args.live ?? false);
      return rows.map((r) => ({ ...r, asOf }));
    },
  }),
);
