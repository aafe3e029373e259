/**
 * A report's figures -> one official document (src/documents) -> its HTML page and its PDF, from
 * the same template (templates/documents/report-*.yaml), charts included in both.
 *
 * @example
 * const doc = reportDocument(numbers, { bureau: '泉州市建设局', version: 1, generatedAt, timeZone, previous: null }, 'zh-CN');
 * const { html, pdf, sha256 } = await renderReport(numbers, meta, 'zh-CN');
 */
import { type DocLocale, type OfficialDocument, renderHtml, renderPdf } from '../../documents/index.ts';
import { sha256 } from '../../platform/hash.ts';
import { localDate } from '../../platform/time.ts';
import type { ReportNumbers } from '../figures/index.ts';
import type { StoredChange } from '../schema.ts';
import { changesBlocks } from './common.ts';
import { dailyBody } from './daily.ts';
import { monthlyBody } from './monthly.ts';
import { quarterlyBody } from './quarterly.ts';
import { reportTexts } from './text.ts';
import { weeklyBody } from './weekly.ts';

export { reportTexts, type Texts } from './text.ts';

export interface RenderMeta {
  /** The bureau's name (the organ's marker and signature). */
  bureau: string;
  version: number;
  generatedAt: Date;
  timeZone: string;
  /** The version before this one and the figures that changed since (null for version 1). */
  previous: { version: number; changes: StoredChange[] } | null;
}

function body(n: ReportNumbers, locale: DocLocale, bureau: string) {
  const tx = reportTexts(n.kind, locale);
  switch (n.kind) {
    case 'daily':
      return { tx, ...dailyBody(n, tx, bureau) };
    case 'weekly':
      return { tx, ...weeklyBody(n, tx, bureau) };
    case 'monthly':
      return { tx, ...monthlyBody(n, tx, bureau) };
    case 'quarterly':
      return { tx, ...quarterlyBody(n, tx, bureau) };
  }
}

/** The document of a report version in one locale. */
export function reportDocument(n: ReportNumbers, meta: RenderMeta, locale: DocLocale): OfficialDocument {
  const b = body(n, locale, meta.bureau);
  const { tx } = b;
  const date = localDate(meta.generatedAt, meta.timeZone);
  const at = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: meta.timeZone,
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(meta.generatedAt);
  return {
    organ: meta.bureau,
    number: tx.t('number', { period: n.period.key, version: meta.version }),
    title: b.title,
    date,
    locale,
    blocks: [
      ...changesBlocks(tx, meta.version, meta.previous),
      ...b.blocks,
      { kind: 'paragraph', text: tx.t('generated', { at }) },
    ],
    signature: { organ: meta.bureau, date },
    ...('note' in b && b.note ? { note: b.note } : {}),
  };
}

export interface RenderedReport {
  html: string;
  htmlSha256: string;
  pdf: Buffer;
  sha256: string;
}

export async function renderReport(
  n: ReportNumbers,
  meta: RenderMeta,
  locale: DocLocale,
): Promise<RenderedReport> {
  const doc = reportDocument(n, meta, locale);
  const html = renderHtml(doc);
  const { pdf, sha256: pdfSha } = await renderPdf(doc);
  return { html, htmlSha256: sha256(html), pdf, sha256: pdfSha };
}
