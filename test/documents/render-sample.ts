/**
 * Writes the sample documents to /tmp for a person to look at:
 *   npx tsx test/documents/render-sample.ts && pdftoppm -png -r 60 /tmp/neikong-sample.pdf /tmp/sample
 */
import { writeFileSync } from 'node:fs';
import { renderHtml, renderPdf } from '../../src/documents/index.ts';
import { sampleOnePage, sampleRuling, sampleWithTable } from './sample.ts';

const out: [string, Buffer | string][] = [
  ['/tmp/neikong-sample.pdf', (await renderPdf(sampleRuling())).pdf],
  ['/tmp/neikong-sample.html', renderHtml(sampleRuling())],
  ['/tmp/neikong-one-page.pdf', (await renderPdf(sampleOnePage())).pdf],
  ['/tmp/neikong-table.pdf', (await renderPdf(sampleWithTable(60))).pdf],
  ['/tmp/neikong-en.pdf', (await renderPdf(sampleRuling('en'))).pdf],
];
for (const [file, data] of out) {
  writeFileSync(file, data);
  console.log(file);
}
