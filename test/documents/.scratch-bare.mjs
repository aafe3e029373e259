import PDFDocument from 'pdfkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const buf = readFileSync('node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Regular.otf');
const fontkit = require(createRequire(require.resolve('pdfkit')).resolve('fontkit'));
const shared = fontkit.create(buf);
function one(src) {
  return new Promise((res) => {
    const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date(0) } });
    const chunks = [];
    doc.on('data', (c) => chunks.push(c));
    doc.on('end', () => res(Buffer.concat(chunks)));
    doc.registerFont('cjk', src);
    doc.font('cjk').fontSize(16).text('泉州市住房和城乡建设局核查意见书，经核查，该案件办理超过承诺时限。', { width: 440 });
    doc.end();
  });
}
for (const [name, src] of [['buffer', buf], ['shared', shared], ['buffer', buf], ['shared', shared]]) {
  for (let i = 0; i < 5; i++) await one(src);
  const N = 100;
  let t = performance.now();
  let pdf;
  for (let i = 0; i < N; i++) pdf = await one(src);
  console.log(name, 'ms/doc', ((performance.now() - t) / N).toFixed(2), pdf.length);
}
