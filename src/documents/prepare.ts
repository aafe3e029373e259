/**
 * What both renderers do first: check the document and number its headings. Doing it once here
 * is why the PDF and the HTML of one document always carry the same numbers and refuse the same
 * input.
 */
import { chineseNumeral, formatDocDate, parseIsoDate } from './dates.ts';
import { type Block, type DocLocale, DocumentError, type OfficialDocument } from './model.ts';

/** A block ready to draw: headings carry their number (一、) separately from their text. */
export type PreparedBlock =
  | Exclude<Block, { kind: 'heading' }>
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; label: string; text: string };

export interface PreparedDocument {
  doc: OfficialDocument;
  blocks: PreparedBlock[];
  /** 成文日期 as printed (2026年3月2日), when there is a signature. */
  signatureDate?: string;
}

/**
 * GB/T 9704-2012 7.3.3: 一、 then （一） then 1. then （1）. English documents use the decimal
 * outline usual there, with (a) for the fourth level.
 */
export function headingLabel(locale: DocLocale, level: 1 | 2 | 3 | 4, counters: readonly number[]): string {
  const n = counters[level - 1];
  if (locale === 'zh-CN') {
    if (level === 1) return `${chineseNumeral(n)}、`;
    if (level === 2) return `（${chineseNumeral(n)}）`;
    if (level === 3) return `${n}.`;
    return `（${n}）`;
  }
  if (level === 4) return `(${String.fromCharCode(96 + (((n - 1) % 26) + 1))})`;
  return `${counters.slice(0, level).join('.')}${level === 1 ? '.' : ''}`;
}

export function prepare(doc: OfficialDocument): PreparedDocument {
  if (doc.locale !== 'zh-CN' && doc.locale !== 'en') {
    throw new DocumentError('locale', `must be zh-CN or en, not ${JSON.stringify(doc.locale)}`);
  }
  requireText(doc.organ, 'organ');
  requireText(doc.title, 'title');
  checkDate(doc.date, 'date');
  if (doc.signature) {
    requireText(doc.signature.organ, 'signature.organ');
    checkDate(doc.signature.date, 'signature.date');
  }
  if (doc.verifyUrl !== undefined && !/^https?:\/\/\S+$/.test(doc.verifyUrl)) {
    throw new DocumentError('verifyUrl', 'must be an http(s) URL without spaces');
  }
  if (!Array.isArray(doc.blocks)) throw new DocumentError('blocks', 'must be a list');

  const counters = [0, 0, 0, 0];
  const blocks = doc.blocks.map((block, i): PreparedBlock => {
    const at = `blocks[${i}]`;
    switch (block.kind) {
      case 'heading': {
        if (![1, 2, 3, 4].includes(block.level))
          throw new DocumentError(`${at}.level`, 'must be 1, 2, 3 or 4');
        requireText(block.text, `${at}.text`);
        if (block.numbered === false)
          return { kind: 'heading', level: block.level, label: '', text: block.text };
        counters[block.level - 1]++;
        counters.fill(0, block.level);
        // A level-2 heading with no level-1 before it still counts from 1, not from 0.
        for (let l = 0; l < block.level - 1; l++) counters[l] ||= 1;
        return {
          kind: 'heading',
          level: block.level,
          label: headingLabel(doc.locale, block.level, counters),
          text: block.text,
        };
      }
      case 'paragraph':
        if (typeof block.text !== 'string') throw new DocumentError(`${at}.text`, 'must be text');
        return block;
      case 'table': {
        if (!block.columns?.length)
          throw new DocumentError(`${at}.columns`, 'a table needs at least one column');
        block.columns.forEach((c, j) => {
          if (typeof c.title !== 'string')
            throw new DocumentError(`${at}.columns[${j}].title`, 'must be text');
          if (c.width !== undefined && !(c.width > 0)) {
            throw new DocumentError(`${at}.columns[${j}].width`, 'must be a positive weight');
          }
        });
        block.rows.forEach((row, r) => {
          if (!Array.isArray(row) || row.length !== block.columns.length) {
            throw new DocumentError(
              `${at}.rows[${r}]`,
              `has ${Array.isArray(row) ? row.length : 'no'} cells, the table has ${block.columns.length} columns`,
            );
          }
          row.forEach((cell, c) => {
            if (typeof cell !== 'string') throw new DocumentError(`${at}.rows[${r}][${c}]`, 'must be text');
          });
        });
        return block;
      }
      case 'keyValue':
        block.rows.forEach((row, r) => {
          if (
            !Array.isArray(row) ||
            row.length !== 2 ||
            typeof row[0] !== 'string' ||
            typeof row[1] !== 'string'
          ) {
            throw new DocumentError(`${at}.rows[${r}]`, 'must be [label, value]');
          }
        });
        return block;
      case 'svg':
        if (!(block.width > 0 && block.height > 0))
          throw new DocumentError(`${at}`, 'width and height must be > 0');
        // The SVG goes into the HTML as markup; refuse anything that could run script there.
        if (/<script|\son[a-z]+\s*=|javascript:|<foreignObject/i.test(block.svg)) {
          throw new DocumentError(`${at}.svg`, 'scripts, event handlers and foreignObject are not allowed');
        }
        if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/i.test(block.svg))
          throw new DocumentError(`${at}.svg`, 'must start with <svg');
        return block;
      default:
        throw new DocumentError(
          `${at}.kind`,
          `unknown block kind ${JSON.stringify((block as { kind: unknown }).kind)}`,
        );
    }
  });

  return {
    doc,
    blocks,
    signatureDate: doc.signature ? formatDocDate(doc.signature.date, doc.locale) : undefined,
  };
}

function requireText(value: unknown, path: string) {
  if (typeof value !== 'string' || value.trim() === '')
    throw new DocumentError(path, 'must be non-empty text');
}

function checkDate(value: string, path: string) {
  try {
    parseIsoDate(value);
  } catch {
    throw new DocumentError(path, `must be a date YYYY-MM-DD, not ${JSON.stringify(value)}`);
  }
}
