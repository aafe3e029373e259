/**
 * OfficialDocument -> PDF, laid out after GB/T 9704-2012 (see layout.ts for the numbers).
 *
 * Deterministic by construction: the same document gives the same bytes, so a stored ruling can be
 * re-rendered and compared, and its SHA-256 printed on the verify page stays true. What would vary
 * in a plain pdfkit document, and how we pin it:
 *  - Info CreationDate (pdfkit puts `new Date()`): set, with ModDate, from the document's date;
 *  - the trailer /ID: pdfkit derives it from an MD5 of the Info dictionary, so it follows;
 *  - the font subset tag (ABCDEF+): pdfkit derives it from the font's id (F1, F2), which follows
 *    the order fonts are first used, fixed by our drawing order;
 *  - Producer/Creator: ours, not pdfkit's, so the same bytes across hosts.
 * A different pdfkit, fontkit or zlib version may still change bytes: a frozen document is kept
 * as bytes, not re-rendered.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { type CjkFonts, cjkFonts } from './fonts.ts';
import {
  BODY_CHAR_SPACING,
  BODY_SIZE,
  EM_BOTTOM,
  EM_TOP,
  FOOTER_RULE_INNER,
  FOOTER_RULE_OUTER,
  FOOTER_SIZE,
  MARGINS,
  MARKER_MAX_SIZE,
  MARKER_MIN_SIZE,
  MARKER_OFFSET,
  PAGE_NUMBER_OFFSET,
  PAGE_NUMBER_SIZE,
  PITCH,
  PX,
  QR_CAPTION_SIZE,
  QR_SIZE,
  RED,
  SEPARATOR_GAP,
  SEPARATOR_WIDTH,
  TABLE_LINE_GAP,
  TABLE_PADDING,
  TABLE_RULE,
  TABLE_SIZE,
  TABLE_SPACE,
  TEXT_BOTTOM,
  TEXT_HEIGHT,
  TEXT_LEFT,
  TEXT_RIGHT,
  TEXT_TOP,
  TEXT_WIDTH,
  TITLE_SIZE,
} from './layout.ts';
import type {
  DocLocale,
  FooterLine,
  KeyValueBlock,
  OfficialDocument,
  SvgBlock,
  TableBlock,
  TableColumn,
} from './model.ts';
import { type PreparedBlock, type PreparedDocument, prepare } from './prepare.ts';
import { type QrMatrix, qrMatrix } from './qr.ts';

type Pdf = PDFKit.PDFDocument;
type Weight = 'regular' | 'bold';

export interface RenderedPdf {
  pdf: Buffer;
  /** SHA-256 of `pdf`, lower-case hex: what the verify page and the audit log record. */
  sha256: string;
}

/** Default QR caption per locale; a module passes its own (from its template) in `verifyCaption`. */
const VERIFY_CAPTION: Record<DocLocale, string> = { 'zh-CN': '扫码核验', en: 'Scan to verify' };

/**
 * Renders `input` as an A4 PDF after GB/T 9704-2012, with the CJK font subset in. Throws a
 * DocumentError naming the field when the document is malformed. The fonts are read and parsed on
 * the first call (about 0.3 s) and shared by every later one.
 *
 * @example
 * const { pdf, sha256 } = await renderPdf({
 *   organ: '泉州市住房和城乡建设局',
 *   number: '泉建核〔2026〕12号',
 *   title: '关于QZ-2026-000123号案件办理情况的核查意见书',
 *   date: '2026-03-02',
 *   locale: 'zh-CN',
 *   blocks: [
 *     { kind: 'heading', level: 1, text: '核查情况' },        // printed as 一、核查情况
 *     { kind: 'paragraph', text: '经核查，……' },
 *     { kind: 'table', columns: [{ title: '序号', width: 1 }, { title: '问题', width: 6 }], rows: [['1', '超期']] },
 *   ],
 *   signature: { organ: '泉州市住房和城乡建设局', date: '2026-03-02' },
 *   verifyUrl: 'https://neikong.example.gov.cn/verify/%E6%B3%89...',
 * });
 * await writeFile('ruling.pdf', pdf); // the same input always gives these bytes and this sha256
 */
export async function renderPdf(input: OfficialDocument): Promise<RenderedPdf> {
  const prepared = prepare(input);
  const qr = input.verifyUrl ? qrMatrix(input.verifyUrl) : undefined;
  const pdf = await draw(prepared, cjkFonts(), qr);
  return { pdf, sha256: createHash('sha256').update(pdf).digest('hex') };
}

/** The bureau's local midnight (Asia/Shanghai, UTC+8) of a YYYY-MM-DD date. */
function localMidnight(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) - 8 * 3600_000);
}

function draw(p: PreparedDocument, fonts: CjkFonts, qr: QrMatrix | undefined): Promise<Buffer> {
  const d = p.doc;
  const when = localMidnight(d.date);
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    // No default font: pdfkit would parse Helvetica's metrics for every document, never used.
    font: '',
    // Page numbers are drawn last, once the page count is known.
    bufferPages: true,
    lang: d.locale,
    displayTitle: true,
    info: {
      Title: d.title.replace(/\s*\n\s*/g, d.locale === 'zh-CN' ? '' : ' '),
      Author: d.signature?.organ ?? d.organ,
      ...(d.number ? { Subject: d.number } : {}),
      Creator: 'neikong',
      Producer: 'neikong',
      CreationDate: when,
      ModDate: when,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  // pdfkit's types list only paths and bytes, but it takes a parsed fontkit font too (fonts.ts).
  pdf.registerFont('regular', fonts.regular as Buffer);
  pdf.registerFont('bold', fonts.bold as Buffer);

  const w = new Writer(pdf, d.locale);
  w.header(d);
  for (const [i, block] of p.blocks.entries()) w.block(block, p.blocks[i + 1]);
  w.closing(d, p.signatureDate, qr);
  if (d.footer?.length) w.footer(d.footer);
  w.pageNumbers();
  pdf.end();
  return done;
}

class Writer {
  /** Top of the next line slot on the current page. */
  private y = TEXT_TOP;
  private readonly plans = new Map<PreparedBlock, GridPlan>();

  constructor(
    private readonly pdf: Pdf,
    private readonly locale: DocLocale,
  ) {}

  private use(weight: Weight, size: number, color = '#000000') {
    this.pdf.font(weight).fontSize(size).fillColor(color);
  }

  /** The lineGap that makes each wrapped line take exactly one slot of `pitch`. */
  private gapFor(pitch: number) {
    return Math.max(0, pitch - this.pdf.currentLineHeight(true));
  }

  private newPage() {
    this.pdf.addPage();
    this.y = TEXT_TOP;
  }

  /** Starts a new page unless `height` still fits under the current position. */
  private ensure(height: number) {
    if (this.y + height > TEXT_BOTTOM + 0.01) this.newPage();
  }

  /** One unwrapped line with its baseline at `baseline`; no automatic page break. */
  private line(text: string, x: number, baseline: number) {
    this.pdf.text(text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
  }

  private width(text: string) {
    return this.pdf.widthOfString(text);
  }

  /** The baseline of text of `size` centred in the slot that starts at `top`. */
  private baselineIn(top: number, size: number, slot = PITCH) {
    return top + slot / 2 + ((EM_TOP - EM_BOTTOM) / 2) * size;
  }

  /** 发文机关标志, 发文字号, red separator, title and addressee: GB/T 9704-2012 7.2 and 7.3.1-2. */
  header(d: OfficialDocument) {
    // The marker: top edge 35 mm under the text area; 初号, smaller when the name is long, and
    // wrapped (centred) rather than shrunk below 2号.
    this.use('bold', 1, RED);
    const markerSize = Math.max(MARKER_MIN_SIZE, Math.min(MARKER_MAX_SIZE, TEXT_WIDTH / this.width(d.organ)));
    this.use('bold', markerSize, RED);
    const markerTop = TEXT_TOP + MARKER_OFFSET;
    let markerBottom: number;
    if (this.width(d.organ) <= TEXT_WIDTH) {
      this.line(d.organ, TEXT_LEFT + (TEXT_WIDTH - this.width(d.organ)) / 2, markerTop + EM_TOP * markerSize);
      markerBottom = markerTop + markerSize;
    } else {
      const pitch = markerSize * 1.25;
      this.centred(d.organ, markerTop + EM_TOP * markerSize, pitch);
      markerBottom = this.pdf.y - pitch + EM_BOTTOM * markerSize;
    }

    // The number two blank lines under the marker, centred; the separator 4 mm under it.
    let separatorY: number;
    if (d.number) {
      this.use('regular', BODY_SIZE);
      const numberTop = markerBottom + 2 * PITCH;
      const baseline = this.baselineIn(numberTop, BODY_SIZE);
      this.line(d.number, TEXT_LEFT + (TEXT_WIDTH - this.width(d.number)) / 2, baseline);
      separatorY = baseline + EM_BOTTOM * BODY_SIZE + SEPARATOR_GAP;
    } else {
      separatorY = markerBottom + PITCH;
    }
    this.pdf
      .save()
      .lineWidth(SEPARATOR_WIDTH)
      .strokeColor(RED)
      .moveTo(TEXT_LEFT, separatorY)
      .lineTo(TEXT_RIGHT, separatorY)
      .stroke()
      .restore();

    // The title two blank lines under the separator, centred, 2号 bold, lines ~1.5 body slots.
    this.y = separatorY + 2 * PITCH;
    this.use('bold', TITLE_SIZE);
    const baseline = this.baselineIn(this.y, TITLE_SIZE, PITCH * 1.25);
    this.centred(d.title, baseline, PITCH * 1.25);
    this.y += this.pdf.y - baseline;

    // 主送机关 one blank line under the title, flush left; the body follows on the next line.
    this.y += PITCH;
    if (d.addressee) this.paragraph(d.addressee, 'regular', 0);
  }

  /**
   * Centred text over as many lines as it needs, the lines of even length (7.3.1 asks for titles
   * laid out as a trapezoid or diamond, not a full line and a stub). `baseline` is the first
   * line's, `pitch` the distance between lines; afterwards pdf.y is the baseline after the last.
   */
  private centred(text: string, baseline: number, pitch: number) {
    const lineGap = pitch - this.pdf.currentLineHeight(true);
    const full = this.width(text);
    const lines = Math.ceil(full / TEXT_WIDTH);
    const linesAt = (width: number) => Math.round(this.pdf.heightOfString(text, { width, lineGap }) / pitch);
    // Start from an even share (plus a character, as breaks fall between characters or words) and
    // widen until the text takes no more lines than it must.
    // A title with line breaks of its own is broken where its author said.
    let width = text.includes('\n')
      ? TEXT_WIDTH
      : Math.min(TEXT_WIDTH, full / lines + this.pdf.widthOfString('国'));
    while (lines > 1 && width < TEXT_WIDTH && linesAt(width) > lines)
      width = Math.min(TEXT_WIDTH, width * 1.06);
    this.pdf.text(text, TEXT_LEFT + (TEXT_WIDTH - width) / 2, baseline, {
      width,
      align: 'center',
      baseline: 'alphabetic',
      lineGap,
    });
  }

  /** Draws `b`; `next` is the block after it, which a heading must not be parted from. */
  block(b: PreparedBlock, next: PreparedBlock | undefined) {
    switch (b.kind) {
      case 'heading': {
        // Keep a heading with the start of what follows it (a line, a form, a table's header).
        this.ensure(Math.min(PITCH + this.startHeight(next), TEXT_HEIGHT));
        const text = b.label ? `${b.label}${this.locale === 'en' ? ' ' : ''}${b.text}` : b.text;
        // 7.3.3: level 1 in 黑体 (bold here); lower levels in the body face.
        this.paragraph(text, b.level === 1 ? 'bold' : 'regular', this.bodyIndent());
        return;
      }
      case 'paragraph':
        this.paragraph(b.text, 'regular', this.bodyIndent());
        return;
      case 'table':
      case 'keyValue':
        this.grid(this.plan(b));
        return;
      case 'svg':
        this.svg(b);
        return;
    }
  }

  /** A picture's size on the page: CSS px at 0.75 pt, scaled down to fit the text area. */
  private svgSize(b: SvgBlock) {
    const captionRoom = b.caption ? PITCH : 0;
    const scale = Math.min(PX, TEXT_WIDTH / b.width, (TEXT_HEIGHT - captionRoom) / b.height);
    return { width: b.width * scale, height: b.height * scale, total: b.height * scale + captionRoom };
  }

  /**
   * An SVG picture (a chart), centred, kept on one page, caption under it. Every font family in
   * it is drawn with the embedded CJK font, so Chinese labels print whatever the SVG names.
   */
  private svg(b: SvgBlock) {
    const size = this.svgSize(b);
    this.ensure(size.total);
    SVGtoPDF(this.pdf, b.svg, TEXT_LEFT + (TEXT_WIDTH - size.width) / 2, this.y, {
      width: size.width,
      height: size.height,
      preserveAspectRatio: 'xMidYMid meet',
      fontCallback: (_family, bold) => (bold ? 'bold' : 'regular'),
      warningCallback: () => {},
    });
    this.y += size.height;
    if (b.caption) {
      this.use('regular', TABLE_SIZE);
      this.line(
        b.caption,
        TEXT_LEFT + (TEXT_WIDTH - this.width(b.caption)) / 2,
        this.baselineIn(this.y, TABLE_SIZE),
      );
      this.y += PITCH;
    }
  }

  /** 7.3.3: each paragraph indented two characters, following lines flush left. */
  private bodyIndent() {
    return this.locale === 'zh-CN' ? 2 * BODY_SIZE : 0;
  }

  private paragraph(text: string, weight: Weight, indent: number) {
    if (text.trim() === '') {
      this.ensure(PITCH);
      this.y += PITCH;
      return;
    }
    this.use(weight, BODY_SIZE);
    this.ensure(PITCH);
    // pdfkit breaks the page itself when the paragraph runs past the bottom margin.
    this.pdf.text(text, TEXT_LEFT, this.y, {
      width: TEXT_WIDTH,
      indent,
      lineGap: this.gapFor(PITCH),
      characterSpacing: this.locale === 'zh-CN' ? BODY_CHAR_SPACING : 0,
    });
    this.y = this.pdf.y;
  }

  /** Measures a table or form once: for the page-break decisions before it and for drawing it. */
  private plan(b: TableBlock | KeyValueBlock): GridPlan {
    const cached = this.plans.get(b);
    if (cached) return cached;
    let plan: Omit<GridPlan, 'heights' | 'headerHeight' | 'start'>;
    if (b.kind === 'table') {
      plan = {
        caption: b.caption,
        widths: this.columnWidths(b.columns, b.rows),
        header: {
          cells: b.columns.map((c) => c.title),
          weights: b.columns.map(() => 'bold' as Weight),
          aligns: b.columns.map(() => 'center' as const),
          fill: '#eeeeee',
        },
        rows: b.rows.map((cells) => ({
          cells,
          weights: cells.map(() => 'regular' as Weight),
          aligns: b.columns.map((c) => c.align ?? 'left'),
        })),
      };
    } else {
      this.use('bold', TABLE_SIZE);
      const longest = Math.max(...b.rows.map(([label]) => this.width(label)), 0);
      const labelWidth = Math.min(longest + 2 * TABLE_PADDING + 1, TEXT_WIDTH * 0.4);
      plan = {
        widths: [labelWidth, TEXT_WIDTH - labelWidth],
        rows: b.rows.map((cells) => ({ cells, weights: ['bold', 'regular'], aligns: ['left', 'left'] })),
      };
    }
    const heights = plan.rows.map((row) => this.rowHeight(row, plan.widths));
    const headerHeight = plan.header ? this.rowHeight(plan.header, plan.widths) : 0;
    const total = headerHeight + heights.reduce((a, h) => a + h, 0);
    // A short table (a form of a few rows) stays on one page; a longer one needs at least its
    // header and (some of) its first row on the page it starts on.
    let start = total <= TEXT_HEIGHT / 3 ? total : headerHeight + Math.min(heights[0] ?? 0, PITCH * 2);
    if (plan.caption) start += PITCH;
    const full: GridPlan = { ...plan, heights, headerHeight, start: start + TABLE_SPACE };
    this.plans.set(b, full);
    return full;
  }

  /** The height that must fit under the current position for `b` to start on this page. */
  private startHeight(b: PreparedBlock | undefined): number {
    if (!b) return 0;
    switch (b.kind) {
      case 'heading':
        return 2 * PITCH;
      case 'paragraph':
        return PITCH;
      case 'table':
      case 'keyValue':
        return this.plan(b).start;
      case 'svg':
        return this.svgSize(b).total;
    }
  }

  private rowHeight(row: Row, widths: number[]) {
    return (
      Math.max(...row.cells.map((text, c) => this.cellHeight(text, row.weights[c], widths[c]))) +
      2 * TABLE_PADDING
    );
  }

  /**
   * Column widths from the weights given, or else from each column's longest text (in characters,
   * kept between 2 and 16 so one long cell cannot starve the others), scaled to the text width.
   */
  private columnWidths(columns: TableColumn[], rows: string[][]) {
    this.use('regular', TABLE_SIZE);
    const weights = columns.map((col, c) => {
      if (col.width) return col.width;
      let widest = this.width(col.title);
      // The first 200 rows are a fair sample; measuring all of a long table costs time for nothing.
      for (const row of rows.slice(0, 200)) widest = Math.max(widest, this.width(row[c]));
      return Math.min(16, Math.max(2, widest / TABLE_SIZE));
    });
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => (w / total) * TEXT_WIDTH);
  }

  private cellHeight(text: string, weight: Weight, width: number) {
    this.use(weight, TABLE_SIZE);
    const lineHeight = this.pdf.currentLineHeight(true) + TABLE_LINE_GAP;
    if (text === '') return lineHeight;
    return this.pdf.heightOfString(text, { width: width - 2 * TABLE_PADDING, lineGap: TABLE_LINE_GAP });
  }

  /**
   * A table or form: caption, header row (repeated on every page it runs over), rows of wrapping
   * cells. Rows never split unless one alone is taller than a page.
   */
  private grid(plan: GridPlan) {
    const { widths, header, headerHeight } = plan;
    this.ensure(plan.start);
    this.y += TABLE_SPACE;
    if (plan.caption) {
      this.use('bold', BODY_SIZE);
      this.line(
        plan.caption,
        TEXT_LEFT + (TEXT_WIDTH - this.width(plan.caption)) / 2,
        this.baselineIn(this.y, BODY_SIZE),
      );
      this.y += PITCH;
    }
    const drawHeader = () => {
      if (header) this.row(widths, header, headerHeight);
    };
    drawHeader();
    const queue = plan.rows.map((row, i) => ({ row, height: plan.heights[i] }));
    while (queue.length) {
      const { row, height } = queue.shift()!;
      if (this.y + height <= TEXT_BOTTOM) {
        this.row(widths, row, height);
        continue;
      }
      const pageRoom = TEXT_BOTTOM - TEXT_TOP - headerHeight;
      if (height > pageRoom) {
        // Taller than a whole page: put what fits here (or on a fresh page) and carry the rest.
        if (TEXT_BOTTOM - this.y < PITCH * 3) {
          this.newPage();
          drawHeader();
        }
        const [head, tail] = this.splitRow(row, widths, TEXT_BOTTOM - this.y - 2 * TABLE_PADDING);
        this.row(widths, head, TEXT_BOTTOM - this.y);
        queue.unshift({ row: tail, height: this.rowHeight(tail, widths) });
      } else {
        queue.unshift({ row, height });
      }
      this.newPage();
      drawHeader();
    }
    this.y += TABLE_SPACE;
  }

  /** Cuts each cell of `row` after as much text as fits in `room` points of height. */
  private splitRow(row: Row, widths: number[], room: number): [Row, Row] {
    const head: string[] = [];
    const tail: string[] = [];
    row.cells.forEach((text, c) => {
      let lo = 0;
      let hi = text.length;
      // Binary search for the longest prefix that fits.
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (this.cellHeight(text.slice(0, mid), row.weights[c], widths[c]) <= room) lo = mid;
        else hi = mid - 1;
      }
      head.push(text.slice(0, lo));
      tail.push(text.slice(lo));
    });
    return [
      { ...row, cells: head },
      { ...row, cells: tail },
    ];
  }

  private row(widths: number[], row: Row, height: number) {
    let x = TEXT_LEFT;
    const pdf = this.pdf;
    if (row.fill) pdf.save().rect(TEXT_LEFT, this.y, TEXT_WIDTH, height).fill(row.fill).restore();
    row.cells.forEach((text, c) => {
      const width = widths[c];
      pdf
        .save()
        .lineWidth(TABLE_RULE)
        .strokeColor('#000000')
        .rect(x, this.y, width, height)
        .stroke()
        .restore();
      if (text !== '') {
        this.use(row.weights[c], TABLE_SIZE);
        pdf.text(text, x + TABLE_PADDING, this.y + TABLE_PADDING, {
          width: width - 2 * TABLE_PADDING,
          // A height keeps pdfkit from breaking the page inside a cell; the row already fits.
          height: height,
          lineGap: TABLE_LINE_GAP,
          align: row.aligns[c],
        });
      }
      x += width;
    });
    this.y += height;
  }

  /**
   * 7.3.5.1 (documents without a seal): one blank line under the body, the organ's name two
   * characters from the right, the date under it starting two characters right of the name's start
   * (or, when longer, ending two characters from the right and pushing the name right). The QR
   * code stands at the left of the same lines, its caption to its right; 附注 follows the date.
   */
  closing(d: OfficialDocument, date: string | undefined, qr: QrMatrix | undefined) {
    const sig = d.signature;
    const sigLines = sig ? [sig.organ, ...(sig.signer ? [sig.signer] : []), date!] : [];
    const qrHeight = qr ? QR_SIZE : 0;
    const height = Math.max(sigLines.length * PITCH, qrHeight);
    if (!height && !d.note) return;
    this.ensure(PITCH + height);
    this.y += PITCH;
    const top = this.y;

    if (sig) {
      this.use('regular', BODY_SIZE);
      const right = TEXT_RIGHT - (this.locale === 'zh-CN' ? 2 * BODY_SIZE : 0);
      const organWidth = this.width(sig.organ);
      const dateWidth = this.width(date!);
      let organX = right - organWidth;
      let dateX = organX + 2 * BODY_SIZE;
      if (this.locale === 'en') dateX = right - dateWidth;
      else if (dateX + dateWidth > right) {
        dateX = right - dateWidth;
        organX = Math.min(organX, dateX - 2 * BODY_SIZE);
      }
      this.line(sig.organ, organX, this.baselineIn(this.y, BODY_SIZE));
      this.y += PITCH;
      if (sig.signer) {
        this.line(sig.signer, right - this.width(sig.signer), this.baselineIn(this.y, BODY_SIZE));
        this.y += PITCH;
      }
      this.line(date!, dateX, this.baselineIn(this.y, BODY_SIZE));
      this.y += PITCH;
    }

    if (qr) {
      this.qr(qr, TEXT_LEFT, top);
      const caption = d.verifyCaption ?? VERIFY_CAPTION[this.locale];
      this.use('regular', QR_CAPTION_SIZE, '#333333');
      this.line(
        caption,
        TEXT_LEFT + QR_SIZE + QR_CAPTION_SIZE / 2,
        top + QR_SIZE / 2 + QR_CAPTION_SIZE * 0.38,
      );
      this.y = Math.max(this.y, top + qrHeight);
    }

    // 7.3.6 附注: in parentheses, two characters in, on the line under the date.
    if (d.note) {
      this.use('regular', BODY_SIZE);
      const note = this.locale === 'zh-CN' ? `（${d.note}）` : `(${d.note})`;
      this.paragraph(note, 'regular', this.bodyIndent());
    }
  }

  /** The code as filled rectangles, one per horizontal run of dark modules. */
  private qr(qr: QrMatrix, x: number, y: number) {
    const m = QR_SIZE / qr.size;
    const pdf = this.pdf.save();
    for (const [mx, my, len] of qr.runs) pdf.rect(x + mx * m, y + my * m, len * m, m);
    pdf.fill('#000000').restore();
  }

  /**
   * 7.4 版记 at the foot of the last page: its last rule on the bottom edge of the text area, the
   * outer rules thick and the inner thin, each line in 4号 one character in from either side.
   */
  footer(lines: FooterLine[]) {
    const height = lines.length * PITCH;
    this.ensure(PITCH + height);
    const pdf = this.pdf;
    let top = TEXT_BOTTOM - height;
    const rule = (y: number, width: number) =>
      pdf
        .save()
        .lineWidth(width)
        .strokeColor('#000000')
        .moveTo(TEXT_LEFT, y)
        .lineTo(TEXT_RIGHT, y)
        .stroke()
        .restore();
    this.use('regular', FOOTER_SIZE);
    rule(top, FOOTER_RULE_OUTER);
    lines.forEach((item, i) => {
      const baseline = this.baselineIn(top, FOOTER_SIZE);
      const [left, right] = typeof item === 'string' ? [item, ''] : item;
      this.line(left, TEXT_LEFT + FOOTER_SIZE, baseline);
      if (right) this.line(right, TEXT_RIGHT - FOOTER_SIZE - this.width(right), baseline);
      top += PITCH;
      rule(top, i === lines.length - 1 ? FOOTER_RULE_OUTER : FOOTER_RULE_INNER);
    });
    this.y = TEXT_BOTTOM;
  }

  /** 7.5.1: "— 1 —" under the text area; odd pages one character from the right, even from the left. */
  pageNumbers() {
    const pdf = this.pdf;
    const range = pdf.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      pdf.switchToPage(i);
      this.use('regular', PAGE_NUMBER_SIZE);
      const label = `— ${i + 1} —`;
      const odd = (i + 1) % 2 === 1;
      const x = odd ? TEXT_RIGHT - PAGE_NUMBER_SIZE - this.width(label) : TEXT_LEFT + PAGE_NUMBER_SIZE;
      this.line(label, x, TEXT_BOTTOM + PAGE_NUMBER_OFFSET + EM_TOP * PAGE_NUMBER_SIZE);
    }
  }
}

interface GridPlan {
  caption?: string;
  widths: number[];
  header?: Row;
  rows: Row[];
  heights: number[];
  headerHeight: number;
  /** What must fit on the page for the table to start there (see `plan`). */
  start: number;
}

interface Row {
  cells: string[];
  weights: Weight[];
  aligns: ('left' | 'center' | 'right')[];
  fill?: string;
}
