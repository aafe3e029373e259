/**
 * The CFF subsetter renderPdf uses (cff-subset.ts) draws exactly what fontkit's subset draws:
 * the same document rendered both ways rasterizes (poppler, as a reader would) to identical pages,
 * reads back as the same text, and the fonts stay embedded subsets; the PDF is much smaller.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlinedCharstring } from '../../src/documents/cff-subset.ts';
import { cjkFonts, type RenderedPdf, renderPdf } from '../../src/documents/index.ts';
import { pdfFonts, pdfPages } from './poppler.ts';
import { sampleRuling, sampleWithTable } from './sample.ts';

/** The pages as PNG bytes at 100 dpi. */
function rasterize(pdf: Buffer): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), 'nk-cff-'));
  try {
    writeFileSync(join(dir, 'd.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', '100', '-png', join(dir, 'd.pdf'), join(dir, 'p')]);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f) => readFileSync(join(dir, f)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fonts = cjkFonts();
const fast = { regular: fonts.regular, bold: fonts.bold };
let ours: RenderedPdf[];
let fontkits: RenderedPdf[];

beforeAll(async () => {
  const docs = [sampleRuling(), sampleWithTable()];
  ours = [];
  for (const d of docs) ours.push(await renderPdf(d));
  // The same documents with fontkit's subsetter (the object renderPdf reads is shared).
  Object.assign(fonts, fonts.plain);
  try {
    fontkits = [];
    for (const d of docs) fontkits.push(await renderPdf(d));
  } finally {
    Object.assign(fonts, fast);
  }
});
afterAll(() => Object.assign(fonts, fast));

describe('the CFF subsetter', () => {
  it('is the one renderPdf uses', () => {
    expect(fonts.regular).not.toBe(fonts.plain.regular);
    expect(ours[0].sha256).not.toBe(fontkits[0].sha256);
  });

  it('draws the same pages as fontkit subset fonts do', () => {
    for (const [i, pdf] of ours.entries()) {
      const a = rasterize(pdf.pdf);
      const b = rasterize(fontkits[i].pdf);
      expect(a.length).toBe(b.length);
      for (let p = 0; p < a.length; p++) expect(a[p].equals(b[p]), `document ${i}, page ${p + 1}`).toBe(true);
    }
  });

  it('keeps the text and the embedded subset fonts, in a smaller file', () => {
    for (const [i, pdf] of ours.entries()) {
      expect(pdfPages(pdf.pdf)).toEqual(pdfPages(fontkits[i].pdf));
      const embedded = pdfFonts(pdf.pdf);
      expect(embedded.length).toBeGreaterThan(0);
      for (const f of embedded)
        expect(f).toMatchObject({ type: 'CID Type 0C', emb: true, sub: true, uni: true });
      expect(pdf.pdf.length).toBeLessThan(fontkits[i].pdf.length * 0.7);
    }
  });

  it('inlines the glyphs of each kind (Latin, digits, punctuation, ideographs) to a whole charstring', () => {
    // A glyph from each of a few font dicts: Latin, digits, CJK punctuation, ideographs.
    const font = fonts.plain.regular as unknown as { glyphForCodePoint(c: number): { id: number } };
    for (const ch of 'A9〔中国核查') {
      const cs = inlinedCharstring(font, font.glyphForCodePoint(ch.codePointAt(0)!).id);
      expect(cs[cs.length - 1]).toBe(14); // endchar
      expect(cs.length).toBeGreaterThan(1);
    }
  });
});
