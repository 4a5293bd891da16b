// The benchmark's demo inventories, built once per size under data/ and reused.
import { existsSync } from 'node:fs';
import { buildDemoInventory } from '../src/demo/generate.js';

export async function ensureFleet(computers: number): Promise<string> {
  const path = `data/bench-${computers}.sqlite`;
  if (!existsSync(path)) {
    console.log(`building ${path} (${computers.toLocaleString('en')} computers)…`);
    await buildDemoInventory(path, { computers, seed: 1 });
  }
  return path;
}
