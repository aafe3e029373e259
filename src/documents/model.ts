/**
 * The one source model of an official document (公文). Modules build an `OfficialDocument` from
 * their data and a template; `renderPdf` and `renderHtml` turn the same value into a PDF and an
 * HTML page, so what a clerk prints and what a browser shows never drift apart.
 *
 * The model is declarative on purpose: it says what the document holds (a heading, a table), never
 * where on the page; the page layout (GB/T 9704-2012) belongs to the renderers alone.
 */

export type DocLocale = 'zh-CN' | 'en';

/** A heading; the renderers number it (一、 （一） 1. （1） in Chinese, 1. 1.1 1.1.1 (a) in English). */
export interface HeadingBlock {
  kind: 'heading';
  level: 1 | 2 | 3 | 4;
  text: string;
  /** false: print the text as given, without a number, and do not count it. Default true. */
  numbered?: boolean;
}

/** One paragraph of body text; first line indented two characters in Chinese (GB/T 9704 7.3.3). */
export interface ParagraphBlock {
  kind: 'paragraph';
  text: string;
}

export interface TableColumn {
  title: string;
  /** Relative width (a weight: 1, 2, 1 ...). Without it the width follows the column's content. */
  width?: number;
  align?: 'left' | 'center' | 'right';
}

/** A table whose cells wrap; in the PDF the header row repeats on every page the table spans. */
export interface TableBlock {
  kind: 'table';
  columns: TableColumn[];
  /** Each row has exactly one string per column. */
  rows: string[][];
  /** A caption above the table (表1 ...). */
  caption?: string;
}

/** Label/value pairs (案件编号 | 泉建〔2026〕3号), drawn as a two-column form. */
export interface KeyValueBlock {
  kind: 'keyValue';
  rows: [label: string, value: string][];
}

/**
 * An SVG picture (a chart rendered on the server). `width` and `height` are its intrinsic size in
 * CSS px; it is scaled down to the text width when wider. The SVG must come from our own code (an
 * echarts server-side render), never from user input: it is inserted into the HTML as markup.
 * The PDF draws it as vector graphics (svg-to-pdfkit), every font in it mapped to the embedded
 * CJK font, scaled to fit the text area and kept on one page.
 */
export interface SvgBlock {
  kind: 'svg';
  svg: string;
  width: number;
  height: number;
  caption?: string;
}

export type Block = HeadingBlock | ParagraphBlock | TableBlock | KeyValueBlock | SvgBlock;

/** One line of the 版记 (imprint): plain text, or a left and a right part (印发机关 ... 印发日期). */
export type FooterLine = string | [left: string, right: string];

export interface OfficialDocument {
  /** 发文机关标志: the issuing organ's marker, in red above the separator (泉州市住房和城乡建设局文件). */
  organ: string;
  /** 发文字号 (泉建核〔2026〕12号); see `formatDocNumber`. */
  number?: string;
  /** 公文标题. A long title is wrapped into lines of even length; a `\n` in it breaks it there instead. */
  title: string;
  /** 成文日期 as YYYY-MM-DD; also the PDF's creation date, so the same input gives the same bytes. */
  date: string;
  locale: DocLocale;
  /** 主送机关 (or the person addressed), printed flush left under the title, e.g. "张三同志：". */
  addressee?: string;
  blocks: Block[];
  /** 发文机关署名 and 成文日期, right-aligned after the body. */
  signature?: { organ: string; date: string; signer?: string };
  /** 附注, printed in parentheses under the signature, e.g. 此件公开发布. */
  note?: string;
  /** The public verify page for this document; printed as a QR code beside the signature. */
  verifyUrl?: string;
  /** Caption under the QR code; default 扫码核验 / Scan to verify. */
  verifyCaption?: string;
  /** 版记 lines (抄送, 印发机关和印发日期) at the foot of the last page, between rules. */
  footer?: FooterLine[];
}

/** A document the renderers refuse: the message names the field at fault (`blocks[3].rows[2]`). */
export class DocumentError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'DocumentError';
  }
}

/**
 * Splits a text with blank lines between its paragraphs (a YAML block scalar from a template)
 * into paragraph blocks.
 *
 * @example
 * paragraphs('第一段。\n\n第二段。') // [{ kind: 'paragraph', text: '第一段。' }, { kind: 'paragraph', text: '第二段。' }]
 */
export function paragraphs(text: string): ParagraphBlock[] {
  return (
    text
      .split(/\n[ \t]*\n/)
      // A line break inside a paragraph is a space between Latin words, nothing between CJK characters.
      .map((p) =>
        p
          .trim()
          .replace(/(\S)[ \t]*\n[ \t]*(?=(\S))/g, (_m, a: string, b: string) =>
            /[\x21-\x7e]/.test(a) && /[\x21-\x7e]/.test(b) ? `${a} ` : a,
          ),
      )
      .filter((p) => p !== '')
      .map((p) => ({ kind: 'paragraph', text: p }))
  );
}
