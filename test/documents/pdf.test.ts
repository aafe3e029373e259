import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cjkFonts,
  DocumentError,
  type OfficialDocument,
  type RenderedPdf,
  renderPdf,
} from '../../src/documents/index.ts';
import { decodeQr, hasZbar, pdfFonts, pdfPages } from './poppler.ts';
import { SAMPLE_NUMBER, SAMPLE_URL, sampleOnePage, sampleRuling, sampleWithTable } from './sample.ts';

/** pdftotext drops the spaces inside "— 1 —" and wraps long lines: compare without whitespace. */
const squash = (s: string) => s.replace(/\s+/g, '');

let ruling: RenderedPdf;
let rulingPages: string[];

beforeAll(async () => {
  ruling = await renderPdf(sampleRuling());
  rulingPages = pdfPages(ruling.pdf);
});

describe('renderPdf', () => {
  it('renders a Chinese ruling whose text reads back as Chinese (ToUnicode present)', () => {
    const text = squash(rulingPages.join('\n'));
    for (const expected of [
      '泉州市住房和城乡建设局',
      SAMPLE_NUMBER,
      '关于QZ-2026-000123号案件办理情况的核查意见书',
      '张明华同志：',
      '根据《泉州市行政审批内部监督办法》',
      '一、核查情况',
      '（一）时限情况',
      '二、核查意见',
      '1.整改要求',
      '超出承诺时限3个工作日',
      '案件编号QZ-2026-000123',
      '2026年3月2日',
      '扫码核验真伪',
      '抄送：市纪委监委驻市住建局纪检监察组。',
      '2026年3月2日印发',
    ]) {
      expect(text, expected).toContain(squash(expected));
    }
    // The header comes in the order GB/T 9704 sets: marker, number, title.
    const first = squash(rulingPages[0]);
    expect(first.indexOf('泉州市住房和城乡建设局')).toBeLessThan(first.indexOf(SAMPLE_NUMBER));
    expect(first.indexOf(SAMPLE_NUMBER)).toBeLessThan(first.indexOf('关于QZ'));
  });

  it('returns the SHA-256 of the bytes it returns', () => {
    expect(ruling.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(ruling.sha256).toBe(createHash('sha256').update(ruling.pdf).digest('hex'));
    expect(ruling.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('is deterministic: the same input gives the same bytes, whatever was rendered before', async () => {
    await renderPdf(sampleWithTable(30));
    const again = await renderPdf(structuredClone(sampleRuling()));
    expect(again.sha256).toBe(ruling.sha256);
    expect(Buffer.compare(again.pdf, ruling.pdf)).toBe(0);
    // The dates in the file come from the document, not the clock.
    const raw = ruling.pdf.toString('latin1');
    // (pdfkit writes each Info value as its own object; both dates are the one string.)
    expect(raw).toMatch(/\/CreationDate \d+ 0 R/);
    expect(raw.match(/\(D:(\d{14})Z\)/g)).toEqual(['(D:20260301160000Z)', '(D:20260301160000Z)']);
    // Renders running at once share the parsed fonts and still agree.
    const together = await Promise.all([1, 2, 3, 4].map(() => renderPdf(sampleRuling())));
    expect(new Set(together.map((r) => r.sha256))).toEqual(new Set([ruling.sha256]));
    // ... and a different date gives different bytes.
    const later = await renderPdf({ ...sampleRuling(), date: '2026-03-03' });
    expect(later.sha256).not.toBe(ruling.sha256);
  });

  it('is deterministic across processes (fresh font parse, fresh caches)', async () => {
    const script = fileURLToPath(new URL('./print-sha.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' }).trim();
    const [tableSha, rulingSha] = out.split(' ');
    expect(rulingSha).toBe(ruling.sha256);
    expect(tableSha).toBe((await renderPdf(sampleWithTable(40))).sha256);
  });

  it('embeds the CJK font as a subset with a ToUnicode map', () => {
    const fonts = pdfFonts(ruling.pdf);
    expect(fonts.map((f) => f.name).sort()).toEqual([
      expect.stringMatching(/^[A-Z]{6}\+NotoSansHans-Bold$/),
      expect.stringMatching(/^[A-Z]{6}\+NotoSansHans-Regular$/),
    ]);
    for (const f of fonts) expect(f).toMatchObject({ type: 'CID Type 0C', emb: true, sub: true, uni: true });
    const raw = ruling.pdf.toString('latin1');
    expect(raw).toMatch(/\/FontFile3 \d+ 0 R/);
    expect(raw).toMatch(/\/FontName \/[A-Z]{6}\+NotoSansHans-Regular/);
    // A subset, not the 8 MB font: the whole document stays small.
    expect(ruling.pdf.length).toBeLessThan(400_000);
    expect(cjkFonts().parsed).toBe(true);
  });

  it('sets 22 lines of 28 characters on a page (GB/T 9704 5.2.2)', async () => {
    const text = '党政机关公文格式国家标准规定版心内每面排二十二行每行排二十八个字'.repeat(40);
    const { pdf } = await renderPdf({
      organ: '泉州市住房和城乡建设局',
      title: '版面测试',
      date: '2026-03-02',
      locale: 'zh-CN',
      blocks: [{ kind: 'paragraph', text }],
    });
    const page2 = pdfPages(pdf)[1]
      .split('\n')
      .filter((l) => l.trim() && !/^—\s*\d+\s*—$/.test(l.trim()));
    expect(page2).toHaveLength(22);
    for (const line of page2) expect([...line.trim()]).toHaveLength(28);
  });

  it('fits a short ruling with signature and QR code on one page', async () => {
    const pages = pdfPages((await renderPdf(sampleOnePage())).pdf);
    expect(pages).toHaveLength(1);
    expect(squash(pages[0])).toMatch(/—1—$/);
  });

  it('runs a long table over pages with the header repeated and every page numbered', async () => {
    const rows = 60;
    const { pdf } = await renderPdf(sampleWithTable(rows));
    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(4);
    pages.forEach((page, i) => {
      // — n — on every page, odd pages on the right and even on the left (checked visually).
      expect(squash(page), `page ${i + 1}`).toMatch(new RegExp(`—${i + 1}—`));
    });
    // Pages the table runs over start with its header row (read in layout mode: one text line).
    const tablePages = pdfPages(pdf, true).filter((p) => /综合受理窗口/.test(p));
    expect(tablePages.length).toBeGreaterThanOrEqual(3);
    for (const page of tablePages) {
      const firstRow = page.split('\n').find((l) => /序号|综合受理窗口/.test(l)) ?? '';
      expect(squash(firstRow)).toBe('序号姓名现岗位拟轮岗岗位及理由');
    }
    // Every row is there once, in order, and the long reason cells wrap but stay whole.
    const all = squash(pages.join(''));
    let at = 0;
    for (let i = 1; i <= rows; i++) {
      const next = all.indexOf(`${i}`, at);
      expect(next, `row ${i}`).toBeGreaterThan(-1);
      at = next;
    }
    expect(all.split('在现岗位已满五年，按规定应当轮岗').length - 1).toBe(
      Array.from({ length: rows }, (_, i) => i).filter((i) => i % 7 === 3).length,
    );
  });

  it('splits a row taller than a page instead of losing its text', async () => {
    const long = '本行内容很长，需要跨页显示。'.repeat(120);
    const { pdf } = await renderPdf({
      organ: '泉州市住房和城乡建设局',
      title: '超长单元格测试',
      date: '2026-03-02',
      locale: 'zh-CN',
      blocks: [
        {
          kind: 'table',
          columns: [{ title: '项目' }, { title: '说明' }],
          rows: [
            ['甲', long],
            ['乙', '短'],
          ],
        },
      ],
    });
    const pages = pdfPages(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    // A cell split at a page break reads on after the page number and the repeated header.
    const all = squash(pages.join('').replace(/—\s*\d+\s*—/g, '')).replaceAll('项目说明', '');
    expect(all.split('需要跨页显示').length - 1).toBe(120);
    expect(all).toContain('乙短');
  });

  it('renders English documents with the same layout', async () => {
    const { pdf } = await renderPdf(sampleRuling('en'));
    const text = squash(pdfPages(pdf).join(''));
    expect(text).toContain(squash('Verification ruling on the handling of case QZ-2026-000123'));
    expect(text).toContain('1.Findings');
    expect(text).toContain('1.1Timelimit');
    expect(text).toContain('2March2026');
  });

  // CI installs zbar-tools, so there the test always runs; elsewhere it needs zbarimg.
  it.skipIf(!hasZbar && !process.env.CI)('prints a QR code that reads back as the verify URL', () => {
    expect(decodeQr(ruling.pdf)).toEqual([SAMPLE_URL]);
  });

  it('refuses malformed documents, naming the field', async () => {
    const base = sampleRuling();
    const bad: [Partial<OfficialDocument>, RegExp][] = [
      [{ date: '2026-02-30' }, /^date: must be a date/],
      [{ title: ' ' }, /^title: must be non-empty/],
      [{ verifyUrl: 'javascript:alert(1)' }, /^verifyUrl:/],
      [
        { blocks: [{ kind: 'table', columns: [{ title: 'a' }, { title: 'b' }], rows: [['1', '2'], ['3']] }] },
        /^blocks\[0\]\.rows\[1\]: has 1 cells, the table has 2 columns/,
      ],
      [
        { blocks: [{ kind: 'svg', svg: '<svg onload="x()"></svg>', width: 10, height: 10 }] },
        /^blocks\[0\]\.svg:/,
      ],
    ];
    for (const [change, message] of bad) {
      await expect(renderPdf({ ...base, ...change })).rejects.toThrow(DocumentError);
      await expect(renderPdf({ ...base, ...change })).rejects.toThrow(message);
    }
  });
});
