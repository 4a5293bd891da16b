// Messages agents and relay agents post (toolcfg_agentmessages.xml, GFI LanGuard agent communications article): the errors and
// warnings of the console's Agent Health pane, newest first.
import type { Row } from '../../inventory/datasets.js';
import { builder } from '../builder.js';
import { connectionType, loadConnection, pagingArgs } from '../connection.js';
import { textArg } from '../input.js';
import { Severity } from './enums.js';

type MessageRow = Row<'agent_messages'>;

export const AgentMessage = builder.objectRef<MessageRow>('AgentMessage').implement({
  description: 'An error or warning an agent or relay posted to the console (its Agent Health pane).',
  fields: (t) => ({
    id: t.exposeID('Id', { description: 'The message\'s id.' }),
    messageTypeId: t.exposeID('MessageTypeId', { description: 'The message type UID.' }),
    component: t.exposeString('Component', { description: 'The agent component that raised it, e.g. HttpServerAttPlugin.dll.' }),
    priority: t.exposeInt('Priority', { description: '0 is the lowest.' }),
    severity: t.field({ type: Severity, description: 'Error or warning.', resolve: (m) => m.Type as typeof Severity.$inferType }),
    computer: t.exposeString('Computer', { description: 'Name of the agent or relay that posted it.' }),
    text: t.exposeString('Text', { description: 'The message as the console shows it.' }),
    raisedAt: t.expose('RaisedAt', { type: 'DateTime', description: 'When it was posted.' }),
  }),
});

const AgentMessageFilter = builder.inputType('AgentMessageFilter', {
  description: 'Which messages to list; every field left out matches all.',
  fields: (t) => ({
    component: t.string({ description: 'Exact component that raised it, e.g. HttpServerAttPlugin.dll.' }),
    severity: t.field({ type: Severity, description: 'Errors only, or warnings only.' }),
    computer: t.string({ description: 'Exact computer or relay name.' }),
    since: t.field({ type: 'DateTime', description: 'Raised at or after this instant.' }),
  }),
});

export const AgentMessageConnection = connectionType('AgentMessage', AgentMessage);

builder.queryFields((t) => ({
  agentMessages: t.field({
    type: AgentMessageConnection,
    description: 'Agent and relay messages, newest first.',
    args: { filter: t.arg({ type: AgentMessageFilter, description: 'Component, severity, computer, since when.' }), ...pagingArgs(t.arg) },
    resolve: (_root, { filter: f, ...paging }, ctx) =>
      loadConnection(
        ctx.inventory,
        {
          list: 'agentMessages',
          dataset: 'agent_messages',
          params: {
            component: textArg('filter.component', f?.component),
            type: f?.severity ?? null,
            computer: textArg('filter.computer', f?.computer),
            since: f?.since ?? null,
          },
          order: 'NEWEST',
          direction: 'DESC',
        },
        paging,
      ),
  }),
}));
