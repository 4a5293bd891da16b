// The README's table of label values and GraphQL enums (Prometheus exporter section): every enumerated
// label the exporter writes is listed with exactly its values, and each value is its enum's value in upper
// case (verdict: the enum's own spelling), so a script can move between /metrics and /graphql.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildSchema, GraphQLEnumType } from 'graphql';
import { FLEET_VERDICTS } from '../src/diagnosis/checks.js';
import { VALUES } from '../src/metrics/names.js';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
const schema = buildSchema(read('schema.graphql'));
const enumValues = (name: string) => {
  const t = schema.getType(name);
  assert.ok(t instanceof GraphQLEnumType, `${name} is a GraphQL enum`);
  return t.getValues().map((v) => v.name);
};

/** The README's table rows under "| label | label values | GraphQL enum |": label, values, enum name. */
function table(): Map<string, { values: string[]; enumName: string }> {
  const readme = read('README.md');
  const start = readme.indexOf('| label | label values | GraphQL enum |');
  assert.ok(start > 0, 'README has the label / GraphQL enum table');
  const rows = readme.slice(start).split('\n').slice(2).filter((l, i, all) => l.startsWith('|') && all.slice(0, i).every((x) => x.startsWith('|')));
  return new Map(
    rows.map((row) => {
      const [label, values, enumName] = row.split('|').slice(1, 4).map((c) => c.trim());
      return [/^`(\w+)`/.exec(label!)![1]!, { values: [...values!.matchAll(/`([a-zA-Z_]+)`/g)].map((m) => m[1]!), enumName: /^`(\w+)`/.exec(enumName!)![1]! }];
    }),
  );
}

test('README maps every enumerated label to its GraphQL enum: lower case there, upper case here', () => {
  const rows = table();
  const labels = Object.keys(VALUES).filter((k) => k !== 'collector' && k !== 'silent');
  assert.deepEqual([...rows.keys()].filter((k) => k !== 'verdict').sort(), [...labels].sort(), 'one row per enumerated label');
  for (const label of labels) {
    const { values, enumName } = rows.get(label)!;
    const exported = VALUES[label as keyof typeof VALUES] as readonly string[];
    assert.deepEqual([...values].sort(), [...exported].sort(), `${label}: the values the exporter writes`);
    const graphql = enumValues(enumName);
    for (const v of exported) assert.ok(graphql.includes(v.toUpperCase()), `${label}="${v}" is ${enumName}.${v.toUpperCase()}`);
    // And nothing GraphQL can answer is missing from the metric.
    assert.deepEqual(graphql.filter((g) => !exported.includes(g.toLowerCase())), [], `${enumName} values with no ${label} value`);
  }
  const verdict = rows.get('verdict');
  assert.equal(verdict?.enumName, 'Verdict');
  assert.ok(verdict.values.every((v) => (FLEET_VERDICTS as readonly string[]).includes(v)), 'verdict examples are exported values');
  assert.deepEqual(enumValues('Verdict').filter((v) => !(FLEET_VERDICTS as readonly string[]).includes(v)), ['NOT_MANAGED'], 'every Verdict but NOT_MANAGED, same spelling');
});
