// Every GraphQL type, field, argument, input field and enum value carries a description written for
// the operator reading GraphiQL's Docs pane: the schema is walked as built, and any gap is listed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLArgument, type GraphQLSchema } from 'graphql';
import { schema } from '../src/graphql/schema/index.js';

/** Every documented thing of the schema, by coordinate (Type.field(arg:)), with its description. */
function coordinates(s: GraphQLSchema): [string, string | null | undefined][] {
  const out: [string, string | null | undefined][] = [];
  const args = (at: string, list: readonly GraphQLArgument[]) => list.forEach((a) => out.push([`${at}(${a.name}:)`, a.description]));
  for (const type of Object.values(s.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    out.push([type.name, type.description]);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const f of Object.values(type.getFields())) {
        out.push([`${type.name}.${f.name}`, f.description]);
        args(`${type.name}.${f.name}`, f.args);
      }
    } else if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) out.push([`${type.name}.${f.name}`, f.description]);
    } else if (isEnumType(type)) {
      for (const v of type.getValues()) out.push([`${type.name}.${v.name}`, v.description]);
    }
  }
  return out;
}

test('every type, field, argument and enum value has a description', () => {
  const all = coordinates(schema);
  assert.ok(all.length > 200, `${all.length} coordinates`);
  const missing = all.filter(([, d]) => !d?.trim()).map(([c]) => c);
  assert.deepEqual(missing, [], `${missing.length} of ${all.length} lack a description:\n${missing.join('\n')}`);
});

test('descriptions speak to the operator: no source file pointers, no internal jargon', () => {
  const bad = coordinates(schema).filter(([, d]) => /\bsrc\/|\.ts\b|\bseed\b/i.test(d ?? '')).map(([c, d]) => `${c}: ${d}`);
  assert.deepEqual(bad, []);
});
