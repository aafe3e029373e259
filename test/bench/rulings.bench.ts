/**
 * Rulings (核查意见书) per second in a batch of 1,000 — numbered, rendered (GB/T 9704, CJK font
 * subset in, QR code), registered with their SHA-256 — against bare one-page pdfkit documents
 * with the same font parsed once, in the same run (goal: within 2 times, i.e. a ratio of at least
 * 0.5). The bare page is plain pdfkit: the fontkit font, subset by fontkit. renderPdf subsets with
 * its own subsetter (src/documents/cff-subset.ts), so a third row gives the bare page with that
 * subsetter too, the stricter comparison. A second row renders the same rulings without the
 * database, to show where time goes. BENCH_RULINGS sizes the batch (default 1,000).
 */
import { sql } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import { queryRows } from '../../src/db/client.ts';
import { loadDemo } from '../../src/demo/index.ts';
import { cjkFonts, renderPdf } from '../../src/documents/index.ts';
import {
  buildRulingDocument,
  issueRulings,
  rulingFacts,
  runVerification,
  verificationRuns,
} from '../../src/verification/index.ts';
import { type BenchRow, benchDatabase, timeMs } from './harness.ts';
import { BENCH_FROM, BENCH_TO, loadSyntheticLedger } from './verification-data.ts';

/** One page, one paragraph of Chinese, the CJK font already parsed (by default as plain pdfkit has it). */
function barePage(i: number, font = cjkFonts().plain.regular): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date(0) } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.registerFont('cjk', font as never);
    doc
      .font('cjk')
      .fontSize(16)
      .text(`泉建核〔2026〕${i}号 关于B-${i}号案件办理情况的核查意见书：经核查，该案件超过承诺时限。`, {
        width: 440,
      });
    doc.end();
  });
}

export async function bench(): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_RULINGS ?? 1000);
  const t = await benchDatabase();
  try {
    await loadDemo(t.db, { seed: 1, today: '2025-01-01' });
    // About 15% of synthetic cases fail a check: enough cases for the batch.
    await loadSyntheticLedger(t.db, Math.ceil(n * 9));
    const { run } = await runVerification(t.db, {
      from: BENCH_FROM,
      to: BENCH_TO,
      actor: 'bench',
      timeZone: 'Asia/Shanghai',
      asOf: new Date('2026-02-01T00:00:00+08:00'),
    });
    // Warm-up: the font is read and parsed once per process, before either is timed.
    for (let i = 0; i < 5; i++) await barePage(i);
    for (let i = 0; i < 5; i++) await barePage(i, cjkFonts().regular);
    // The machine's load drifts: the bare documents are timed before and after the rulings.
    const bareBefore = await timeMs(async () => {
      for (let i = 0; i < Math.floor(n / 2); i++) await barePage(i);
    });
    let issued = 0;
    let pages = 0;
    const rulings = await timeMs(async () => {
      const out = await issueRulings(t.db, {
        runId: run.id,
        failing: true,
        limit: n,
        locale: 'zh-CN',
        inspector: 'S036',
        actor: 'bench',
        publicUrl: 'https://neikong.example.gov.cn',
        timeZone: 'Asia/Shanghai',
        issuedOn: '2026-02-02',
      });
      issued = out.length;
    });
    const bareAfter = await timeMs(async () => {
      for (let i = 0; i < Math.floor(n / 2); i++) await barePage(i);
    });
    const bare = bareBefore + bareAfter;
    const bareFast = await timeMs(async () => {
      for (let i = 0; i < 2 * Math.floor(n / 2); i++) await barePage(i, cjkFonts().regular);
    });
    // The same documents rendered alone (no numbering, registry or audit).
    const [runRow] = await t.db.select().from(verificationRuns);
    const failing = await queryRows<{ case_no: string }>(
      t.db,
      sql`select distinct case_no from verification_findings order by case_no limit ${n}`,
    );
    const facts = await rulingFacts(
      t.db,
      runRow,
      failing.map((r) => r.case_no),
    );
    const docs = [...facts.values()].map((f, i) =>
      buildRulingDocument(f, {
        number: `泉建核〔2026〕${i + 1}号`,
        date: '2026-02-02',
        locale: 'zh-CN',
        inspectorName: '李文斌',
        publicUrl: 'https://neikong.example.gov.cn',
        timeZone: 'Asia/Shanghai',
      }),
    );
    const render = await timeMs(async () => {
      for (const d of docs)
        pages += (await renderPdf(d)).pdf.toString('latin1').split('/Type /Page\n').length - 1;
    });
    const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000 * 100) / 100;
    const bareRate = perSecond(2 * Math.floor(n / 2), bare);
    const issuedRate = perSecond(issued, rulings);
    const renderRate = perSecond(docs.length, render);
    const bareFastRate = perSecond(2 * Math.floor(n / 2), bareFast);
    return [
      {
        name: `rulings issued, batch of ${issued.toLocaleString('en')}`,
        figure: issuedRate,
        unit: 'docs/s',
        baseline: bareRate,
        ratio: issuedRate / bareRate,
        note: `baseline = bare one-page pdfkit document, same font parsed once (${bareRate}/s); goal ratio >= 0.5; ${t.database.kind}`,
      },
      {
        name: 'rulings rendered only (no database)',
        figure: renderRate,
        unit: 'docs/s',
        baseline: bareRate,
        ratio: renderRate / bareRate,
        note: `${docs.length} documents, ${(pages / Math.max(1, docs.length)).toFixed(1)} pages each on average`,
      },
      {
        name: 'rulings issued vs bare page with our subsetter',
        figure: issuedRate,
        unit: 'docs/s',
        baseline: bareFastRate,
        ratio: issuedRate / bareFastRate,
        note: `baseline = bare one-page pdfkit document subset by cff-subset.ts as renderPdf does (${bareFastRate}/s)`,
      },
    ];
  } finally {
    await t.close();
  }
}
