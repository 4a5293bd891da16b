// GFI LanGuard relay agents (GFI LanGuard agent communications article): the Attendant Service pings each every 20 minutes, and the
// HTTP server plugin checks the cache folder and its free space (a warning under 2 GB) every 10.
import type { Row } from '../../inventory/datasets.js';
import { builder } from '../builder.js';
import { nameContainsPattern, textArg } from '../input.js';
import { AgentMessage } from './agent-message.js';
import { THRESHOLDS } from '../../metrics/names.js';

/** Below this much free space on the cache drive the relay reports "not enough disk space". */
export const CACHE_LOW_BYTES = THRESHOLDS.relayCacheMinFreeBytes;

type RelayRow = Row<'relays'>;

const diskLow = (r: RelayRow) => r.CacheFreeBytes < CACHE_LOW_BYTES;

export const Relay = builder.objectRef<RelayRow>('Relay').implement({
  description: 'A relay agent that caches and serves updates and patches to agents.',
  fields: (t) => ({
    name: t.exposeString('Name', { description: 'Host name of the relay.' }),
    online: t.exposeBoolean('Online', { description: 'Answered the last 20-minute ping.' }),
    lastPing: t.expose('LastPing', { type: 'DateTime', nullable: true, description: 'When it last answered the 20-minute ping; null: never.' }),
    lastPingAgeSeconds: t.float({
      nullable: true,
      description: 'Seconds since the last answered ping, at the time of the request (Float: a "never" placeholder date exceeds 2^31).',
      resolve: (r, _args, ctx) =>
        r.LastPing === null ? null : Math.max(0, Math.floor((ctx.now.getTime() - r.LastPing.getTime()) / 1000)),
    }),
    cacheFolderValid: t.exposeBoolean('CacheFolderValid', { description: 'Its cache folder exists and is usable; false: Apache caches in %DataFolder%\\Cache\\Http instead.' }),
    cacheFreeBytes: t.float({ description: 'Free bytes on the cache drive (Float: may exceed 2^31).', resolve: (r) => r.CacheFreeBytes }),
    cacheDiskLow: t.boolean({ description: 'Less than 2 GiB free on the cache drive.', resolve: diskLow }),
    httpServerErrors: t.exposeInt('HttpServerErrors', { description: 'Apache (HTTP server) errors reported.' }),
    clientsServed: t.exposeInt('ClientsServed', { description: 'Agents that download updates and patches through this relay.' }),
    healthy: t.boolean({
      description: 'Online, valid cache folder, enough cache space and no HTTP server errors.',
      resolve: (r) => r.Online && r.CacheFolderValid && !diskLow(r) && r.HttpServerErrors === 0,
    }),
    messages: t.field({
      type: [AgentMessage],
      description: 'Messages the relay posted, newest first.',
      resolve: (r, _args, ctx) => ctx.loaders.messagesByComputer.load(r.Name),
    }),
  }),
});

const RelayFilter = builder.inputType('RelayFilter', {
  description: 'Which relays to list; every field left out matches all.',
  fields: (t) => ({
    online: t.boolean({ description: 'true: only relays that answered the last ping; false: only those that did not.' }),
    nameContains: t.string({ description: 'Substring of the name (at most 256 characters); % _ [ and quotes match literally.' }),
  }),
});

builder.queryFields((t) => ({
  relays: t.field({
    type: [Relay],
    description: 'Relay agents, by name.',
    args: { filter: t.arg({ type: RelayFilter, description: 'Online or not, part of the name.' }) },
    resolve: (_root, { filter: f }, ctx) => {
      const params = { online: f?.online ?? null, namePattern: nameContainsPattern(f?.nameContains) };
      return ctx.inventory.all('relays', params, { order: 'NAME', direction: 'ASC' });
    },
  }),
  relay: t.field({
    type: Relay,
    nullable: true,
    description: 'One relay by host name (any case); null when there is none.',
    args: { name: t.arg.string({ required: true, description: 'Host name of the relay.' }) },
    resolve: (_root, { name }, ctx) => ctx.loaders.relayByName.load(textArg('name', name)),
  }),
}));
