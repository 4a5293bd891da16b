// `gatewatch demo`: build a demo inventory file, with a progress bar on a terminal and a line per
// 10 % otherwise (CI logs).
import { buildDemoInventory } from './generate.js';

export interface DemoCommand {
  computers: number;
  seed: number;
  out: string;
  now?: Date;
}

function progressReporter(): (done: number, total: number) => void {
  const tty = process.stderr.isTTY;
  let lastTenth = -1;
  return (done, total) => {
    const share = total ? done / total : 1;
    if (tty) {
      const width = 30;
      const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
      process.stderr.write(`\r  [${bar}] ${done.toLocaleString('en')} / ${total.toLocaleString('en')} computers`);
      if (done >= total) process.stderr.write('\n');
    } else if (Math.floor(share * 10) > lastTenth) {
      lastTenth = Math.floor(share * 10);
      process.stderr.write(`  ${lastTenth * 10}% (${done} / ${total} computers)\n`);
    }
  };
}

export async function runDemo(c: DemoCommand): Promise<number> {
  const started = performance.now();
  const report = progressReporter();
  const summary = await buildDemoInventory(c.out, { computers: c.computers, seed: c.seed, now: c.now, onProgress: report });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`gatewatch: demo inventory ${c.out} (seed ${c.seed}) written in ${seconds} s`);
  console.log(`  ${Object.entries(summary.rows).map(([t, n]) => `${t}: ${n}`).join(', ')}`);
  return 0;
}
