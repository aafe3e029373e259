/** Prints the SHA-256 of the sample documents rendered in a fresh process (see pdf.test.ts). */
import { renderPdf } from '../../src/documents/index.ts';
import { sampleRuling, sampleWithTable } from './sample.ts';

const a = await renderPdf(sampleWithTable(40));
const b = await renderPdf(sampleRuling());
process.stdout.write(`${a.sha256} ${b.sha256}\n`);
