/**
 * `npm run bench [-- FILTER]`: runs test/bench/*.bench.ts one after another and prints one table.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './harness.ts';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();

const rows: (BenchRow & { file: string })[] = [];
for (const file of files) {
  process.stderr.write(`running ${file} ...\n`);
  const mod = (await import(`./${file}`)) as { bench: () => Promise<BenchRow[]> };
  try {
    for (const row of await mod.bench()) rows.push({ ...row, file });
  } catch (err) {
    process.stderr.write(`  ${file} failed: ${(err as Error).stack}\n`);
    process.exitCode = 1;
  }
}

const fmt = (n: number | undefined) =>
  n === undefined ? '' : Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(2);
const table = [
  ['benchmark', 'figure', 'unit', 'baseline', 'ratio', 'note'],
  ...rows.map((r) => [
    r.name,
    fmt(r.figure),
    r.unit,
    fmt(r.baseline),
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
    r.note ?? '',
  ]),
];
const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
const db = process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite';
console.log(`\nneikong benchmarks (${db}, node ${process.version})\n`);
for (const [i, row] of table.entries()) {
  console.log(
    row.map((cell, j) => (j === 0 || j >= 5 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  '),
  );
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
process.exit();
