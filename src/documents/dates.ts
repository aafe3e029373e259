/**
 * Dates and numbers as official documents print them. GB/T 9704-2012 7.3.5.1: the 成文日期 is
 * written in Arabic numerals with the year in full and no padding zeros (2026年3月2日, not
 * 2026年03月02日 nor 二〇二六年三月二日).
 */
import type { DocLocale } from './model.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Splits a YYYY-MM-DD date, refusing impossible ones (2026-02-30) with a RangeError. */
export function parseIsoDate(date: string): { year: number; month: number; day: number } {
  const m = ISO_DATE.exec(date);
  if (m) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`not a date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

/**
 * @example
 * formatChineseDate('2026-03-02') // '2026年3月2日'
 */
export function formatChineseDate(date: string): string {
  const { year, month, day } = parseIsoDate(date);
  return `${year}年${month}月${day}日`;
}

/**
 * @example
 * formatEnglishDate('2026-03-02') // '2 March 2026'
 */
export function formatEnglishDate(date: string): string {
  const { year, month, day } = parseIsoDate(date);
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/**
 * The date as a document in `locale` prints it.
 *
 * @example
 * formatDocDate('2026-03-02', 'zh-CN') // '2026年3月2日'
 * formatDocDate('2026-03-02', 'en')    // '2 March 2026'
 */
export function formatDocDate(date: string, locale: DocLocale): string {
  return locale === 'zh-CN' ? formatChineseDate(date) : formatEnglishDate(date);
}

/**
 * A 发文字号 after GB/T 9704-2012 7.2.4: organ code, the year in 六角括号 〔〕, the sequence
 * number without padding zeros, then 号.
 *
 * @example
 * formatDocNumber('泉建核', 2026, 12) // '泉建核〔2026〕12号'
 */
export function formatDocNumber(prefix: string, year: number, seq: number): string {
  if (!Number.isInteger(year) || !Number.isInteger(seq) || seq < 1) {
    throw new RangeError(`bad document number parts: ${year}, ${seq}`);
  }
  return `${prefix}〔${year}〕${seq}号`;
}

const DIGITS = '零一二三四五六七八九';

/**
 * A positive integer in Chinese numerals as heading numbers use them (1 一, 10 十, 12 十二,
 * 20 二十, 105 一百零五).
 */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999)
    throw new RangeError(`cannot write ${n} in Chinese numerals`);
  if (n < 10) return DIGITS[n];
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
  const units: [number, string][] = [
    [1000, '千'],
    [100, '百'],
    [10, '十'],
    [1, ''],
  ];
  let out = '';
  let zero = false;
  for (const [value, name] of units) {
    const digit = Math.floor(n / value) % 10;
    if (digit === 0) {
      if (out) zero = true;
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[digit] + name;
  }
  return out;
}
