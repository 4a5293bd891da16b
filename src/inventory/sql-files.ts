// Each dataset's SQL text, read from its file under queries/sql/ (datasets.ts names it). A file that
// cannot be read makes that dataset alone unavailable: the reason is kept as its InventoryError.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATASETS, type DatasetName } from './datasets.js';
import { InventoryError } from './errors.js';

export const DEFAULT_QUERIES_DIR = fileURLToPath(new URL('../../queries/sql/', import.meta.url));

export function loadSql(dir: string, dataset: DatasetName): string | InventoryError {
  const path = join(dir, DATASETS[dataset].file);
  try {
    return readFileSync(path, 'utf8').trim().replace(/;\s*$/, '');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    return new InventoryError('DATASET_UNAVAILABLE', `dataset ${dataset}: cannot read its SQL ${path}: ${reason}`, dataset);
  }
}
