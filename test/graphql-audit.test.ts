// GraphQL over HTTP conformance: graphql-http's server audit suite, every MUST, SHOULD and MAY,
// against the real server on a demo inventory.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serverAudits } from 'graphql-http';
import { demoFixture } from './helpers/graphql.js';

const fx = demoFixture('audit', { computers: 200 });

describe('graphql-http server audits', () => {
  for (const audit of serverAudits({ url: () => fx.api.endpoint })) {
    test(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      if (result.status !== 'ok') {
        const response = 'response' in result ? await result.response.text().catch(() => '') : '';
        assert.fail(`${result.reason}${response ? `\nresponse: ${response.slice(0, 500)}` : ''}`);
      }
    });
  }
});
