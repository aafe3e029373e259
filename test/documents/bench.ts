/**
 * Rulings per second against a bare pdfkit page with the same font (not a vitest test: timing
 * belongs in benchmarks, never in assertions). The three kinds run interleaved in rounds, so a
 * busy machine slows them alike.
 *   npx tsx test/documents/bench.ts [documents per kind, default 100]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import { cjkFonts, fontDir, renderPdf } from '../../src/documents/index.ts';
import { sampleOnePage } from './sample.ts';

const count = Number(process.argv[2] ?? 100);
const ROUNDS = 10;
const fontBytes = readFileSync(join(fontDir(), 'NotoSansHans-Regular.otf'));

/** One page, one line of Chinese. */
function barePage(font: unknown): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date(0) } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.registerFont('cjk', font as Buffer);
    doc
      .font('cjk')
      .fontSize(16)
      .text('泉州市住房和城乡建设局核查意见书：经核查，该案件超过承诺时限。', { width: 440 });
    doc.end();
  });
}

const kinds: [string, (i: number) => Promise<Buffer>][] = [
  ['bare pdfkit page, font as Buffer', () => barePage(fontBytes)],
  ['bare pdfkit page, font parsed once', () => barePage(cjkFonts().regular)],
  ['renderPdf one-page ruling', async (i) => (await renderPdf(sampleOnePage(i + 1))).pdf],
];
const spent = kinds.map(() => 0);
const bytes = kinds.map(() => 0);
for (const [, make] of kinds) for (let i = 0; i < 10; i++) await make(i);
for (let round = 0; round < ROUNDS; round++) {
  for (const [k, [, make]] of kinds.entries()) {
    const start = performance.now();
    for (let i = 0; i < count / ROUNDS; i++) bytes[k] += (await make(round * count + i)).length;
    spent[k] += performance.now() - start;
  }
}
const ms = spent.map((t) => t / count);
for (const [k, [label]] of kinds.entries()) {
  console.log(
    `${label.padEnd(36)} ${ms[k].toFixed(1).padStart(6)} ms/doc ${(1000 / ms[k]).toFixed(0).padStart(5)} docs/s ` +
      `${(bytes[k] / count / 1024).toFixed(0).padStart(4)} KiB`,
  );
}
console.log(
  `ruling / bare (Buffer): ${(ms[2] / ms[0]).toFixed(2)}x; ruling / bare (parsed once): ${(ms[2] / ms[1]).toFixed(2)}x`,
);
