/**
 * UI strings and dates in the user's language. Every string shown by the web pages comes from
 * `templates/locales/<locale>.yaml` (nested YAML, addressed by dotted keys); a test fails when a
 * key is missing in either file. Dates are shown in the bureau's time zone, in Chinese style in
 * zh-CN (2026年3月2日) and British style in English (2 March 2026).
 *
 * @example
 * const t = translator('zh-CN');
 * t('nav.section.org'); // '组织与事项'
 * t('pager.summary', { from: 1, to: 50, total: 10000 }); // '第 1-50 条,共 10000 条'
 * formatDate('2026-03-02', 'zh-CN'); // '2026年3月2日'
 * formatDateTime(new Date('2026-03-02T01:15:00Z'), 'en', 'Asia/Shanghai'); // '2 March 2026 09:15'
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { templatesDir } from '../paths.ts';

export const locales = ['zh-CN', 'en'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'zh-CN';

export const isLocale = (s: unknown): s is Locale =>
  typeof s === 'string' && (locales as readonly string[]).includes(s);

export type Params = Record<string, string | number>;
export type T = (key: string, params?: Params) => string;

/** Flattens nested YAML maps into dotted keys; leaves must be strings. */
export function flatten(tree: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (tree && typeof tree === 'object' && !Array.isArray(tree)) {
    for (const [k, v] of Object.entries(tree)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof tree === 'string') {
    out.set(prefix, tree);
  } else if (typeof tree === 'number' || typeof tree === 'boolean') {
    out.set(prefix, String(tree));
  } else {
    throw new Error(`locale key ${prefix || '(root)'} is not a string`);
  }
  return out;
}

export const localeFile = (locale: Locale) => join(templatesDir, 'locales', `${locale}.yaml`);

const cache = new Map<Locale, Map<string, string>>();

/** The flattened strings of one locale, read once per process. */
export function strings(locale: Locale): Map<string, string> {
  let s = cache.get(locale);
  if (!s) {
    s = flatten(parse(readFileSync(localeFile(locale), 'utf8')));
    cache.set(locale, s);
  }
  return s;
}

/** `{name}` placeholders are filled from `params`; a missing key shows itself, so it is noticed. */
export function translator(locale: Locale): T {
  const s = strings(locale);
  return (key, params) => {
    const text = s.get(key) ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
  };
}

/** A label for a data code (a business, an absence reason) with the code itself as fallback. */
export function labelOr(locale: Locale, key: string, fallback: string): string {
  return strings(locale).get(key) ?? fallback;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function fmt(locale: Locale, timeZone: string, withTime: boolean) {
  const id = `${locale}|${timeZone}|${withTime}`;
  let f = dateFormats.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone,
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    dateFormats.set(id, f);
  }
  return f;
}

/**
 * A local date (`YYYY-MM-DD`, already in the bureau's zone) for reading: 2026年3月2日 / 2 March 2026.
 * Empty for null.
 */
export function formatDate(date: string | null | undefined, locale: Locale): string {
  if (!date) return '';
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return fmt(locale, 'UTC', false).format(d);
}

/** An instant as date and time in the bureau's zone: 2026年3月2日 09:15 / 2 March 2026 09:15. */
export function formatDateTime(at: Date, locale: Locale, timeZone: string): string {
  const parts = fmt(locale, timeZone, true).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const time = `${get('hour')}:${get('minute')}`;
  return locale === 'en'
    ? `${get('day')} ${get('month')} ${get('year')} ${time}`
    : `${get('year')}年${get('month')}月${get('day')}日 ${time}`;
}

/** Whole years and months from `from` to `to` (both `YYYY-MM-DD`); never negative. */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  let months = (ty - fy) * 12 + (tm - fm);
  if (td < fd) months--;
  return Math.max(0, months);
}

/** Tenure for reading: 3年2个月 / 3 yr 2 mo; under a month shows as 不满1个月 / under 1 mo. */
export function formatTenure(months: number, t: T): string {
  const y = Math.floor(months / 12);
  const m = months % 12;
  if (y === 0 && m === 0) return t('tenure.underMonth');
  if (y === 0) return t('tenure.m', { m });
  if (m === 0) return t('tenure.y', { y });
  return t('tenure.ym', { y, m });
}
