// The examples a reader copies out of README.md: every ```graphql block, the queries that curl
// examples post, and the `gatewatch …` / `npx gatewatch …` command lines of ```sh blocks. Parsed from
// the file as it stands, so an example added or changed there is run without touching the test.
import { readFileSync } from 'node:fs';

export interface CliExample {
  line: string;
  args: string[];
  env: Record<string, string>;
}

export interface ReadmeExamples {
  graphql: string[];
  cli: CliExample[];
  /** Command lines left out, with why: they need SQL Server or Docker, which a demo does not have. */
  excluded: string[];
}

const NEEDS_SQL_SERVER_OR_DOCKER = /mssql:\/\/|Server=tcp:|GATEWATCH_DEMO_DB|docker/i;

function blocks(markdown: string, languages: readonly string[]): string[] {
  const out: string[] = [];
  const fence = /^```([\w-]*)[^\n]*\n([\s\S]*?)^```/gm;
  for (const m of markdown.matchAll(fence)) if (languages.includes(m[1]!)) out.push(m[2]!);
  return out;
}

/** Shell words of one command line: quotes grouped, comments dropped (no expansions: examples need none). */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const end = line.indexOf(c, i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      break;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

export function readmeExamples(path: string): ReadmeExamples {
  const markdown = readFileSync(path, 'utf8');
  const graphql = blocks(markdown, ['graphql']).map((b) => b.trim());
  const cli: CliExample[] = [];
  const excluded: string[] = [];
  for (const block of blocks(markdown, ['sh', 'bash', 'shell', 'console'])) {
    // Continuation lines joined: one command per entry.
    for (const raw of block.replace(/\\\n\s*/g, ' ').split('\n')) {
      const line = raw.replace(/^\$\s+/, '').trim();
      if (!line || line.startsWith('#')) continue;
      for (const command of line.split(/\s*&&\s*/)) {
        const words = shellWords(command);
        const body = words.findIndex((w, i) => w === 'gatewatch' && (i === 0 || words[i - 1] === 'npx' || /^\w+=/.test(words[i - 1]!)));
        const data = words.findIndex((w, i) => words[0] === 'curl' && words[i - 1] === '-d');
        if (data > 0) {
          const query = (JSON.parse(words[data]!) as { query?: string }).query;
          if (query) graphql.push(query);
          continue;
        }
        if (!words.includes('gatewatch')) continue;
        if (NEEDS_SQL_SERVER_OR_DOCKER.test(command)) {
          excluded.push(command);
          continue;
        }
        if (body < 0) throw new Error(`a gatewatch line the test cannot run: ${command}`);
        const env = Object.fromEntries(words.slice(0, body).filter((w) => /^\w+=/.test(w)).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
        cli.push({ line: command, args: words.slice(body + 1), env });
      }
    }
  }
  return { graphql, cli, excluded };
}

/**
 * Why a GraphQL answer's top-level field holds no data, or undefined when it does: null, an empty
 * list, or a connection with neither edges nor a positive totalCount.
 */
export function emptiness(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return value.length ? undefined : 'an empty list';
  if (typeof value === 'object') {
    const o = value as { edges?: unknown[]; totalCount?: number };
    if ('edges' in o || 'totalCount' in o) return (o.edges?.length ?? 0) > 0 || (o.totalCount ?? 0) > 0 ? undefined : 'a connection with no edges';
  }
  return undefined;
}
