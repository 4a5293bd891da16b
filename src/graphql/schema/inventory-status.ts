// Which datasets the configured CMDB can serve: each dataset's query is probed for its contract
// columns, so an admin sees a missing view or column by name instead of failures field by field.
import type { DatasetStatus as Status } from '../../inventory/inventory.js';
import { builder } from '../builder.js';

const DatasetStatus = builder.objectRef<Status>('DatasetStatus').implement({
  description: 'Whether the database can answer one of gatewatch\'s named reads (its tables, views and columns are there).',
  fields: (t) => ({
    dataset: t.exposeString('dataset', { description: 'The dataset, named as `gatewatch check` lists it.' }),
    available: t.exposeBoolean('available', { description: 'Its query runs; false: the fields that read it fail until the DBA provides what is missing.' }),
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
