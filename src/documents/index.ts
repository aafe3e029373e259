/**
 * documents: the one renderer of official documents (公文): verification rulings (核查意见书),
 * misconduct decisions (处理决定书), the rotation plan (轮岗计划表) and the periodic reports.
 *
 * A module builds an `OfficialDocument` (wording from `templates/documents/*.yaml` through
 * `loadTemplate`), then asks for a PDF (`renderPdf`, GB/T 9704-2012 layout, CJK font subset in,
 * byte-for-byte deterministic) and/or an HTML page (`renderHtml`) of the same model.
 *
 * @example
 * import { formatDocDate, loadTemplate, renderHtml, renderPdf } from '../documents/index.ts';
 *
 * const t = loadTemplate('ruling', 'zh-CN');
 * const doc: OfficialDocument = {
 *   organ: '泉州市住房和城乡建设局',
 *   number: '泉建核〔2026〕12号',
 *   title: t.render('title', { caseNo }),
 *   date: '2026-03-02',
 *   locale: 'zh-CN',
 *   blocks: [{ kind: 'paragraph', text: t.render('intro', { clerk, item }) }],
 *   signature: { organ: '泉州市住房和城乡建设局', date: '2026-03-02' },
 *   verifyUrl: `${publicUrl}/verify/${encodeURIComponent(number)}`,
 * };
 * const { pdf, sha256 } = await renderPdf(doc);
 * const html = renderHtml(doc);
 */

export {
  chineseNumeral,
  formatChineseDate,
  formatDocDate,
  formatDocNumber,
  formatEnglishDate,
  parseIsoDate,
} from './dates.ts';
export { type CjkFonts, cjkFonts, fontDir } from './fonts.ts';
export { type HtmlOptions, renderHtml } from './html.ts';
export {
  type Block,
  type DocLocale,
  DocumentError,
  type FooterLine,
  type HeadingBlock,
  type KeyValueBlock,
  type OfficialDocument,
  type ParagraphBlock,
  paragraphs,
  type SvgBlock,
  type TableBlock,
  type TableColumn,
} from './model.ts';
export { type RenderedPdf, renderPdf } from './pdf.ts';
export {
  checkTemplate,
  type LoadOptions,
  loadTemplate,
  placeholdersOf,
  renderText,
  TEMPLATE_LOCALES,
  type Template,
  type TemplateData,
  TemplateError,
  type TemplateText,
} from './templates.ts';
