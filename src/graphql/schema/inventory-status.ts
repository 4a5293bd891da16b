// Which datasets the configured CMDB can serve: each dataset's query is probed for its contract
// columns, so an admin sees a missing view or column by name instead of failures field by field.
import type { DatasetStatus as Status } from '../../inventory/inventory.js';
import { builder } from '../builder.js';

const DatasetStatus = builder.objectRef<Status>('DatasetStatus').implement({
  fields: (t) => ({
    dataset: t.exposeString('dataset'),
    available: t.exposeBoolean('available'),
    error: t.exposeString('error', { nullable: true, description: 'Why the dataset is unavailable.' }),
  }),
});

builder.queryFields((t) => ({
  inventoryStatus: t.field({
    type: [DatasetStatus],
    description: 'Every dataset and whether the inventory can serve it (one probe statement each).',
    resolve: (_root, _args, ctx) => ctx.inventory.check(),
  }),
}));
