/**
 * The wording of one report in one locale: its own template (`report-<kind>.yaml`) first, then
 * the shared one (`report-common.yaml`), and the formatting every report uses (rates with their
 * denominators, dates as documents print them, staff with their numbers, labels of codes).
 *
 * @example
 * const tx = reportTexts('monthly', 'zh-CN');
 * tx.t('headings.trend')                // '近十二个月走势'
 * tx.rate({ num: 36, den: 46 })         // '78.3%（36/46）'
 * tx.staff('S026', { S026: '林晓' })     // '林晓（S026）'
 */
import {
  type DocLocale,
  formatDocDate,
  loadTemplate,
  type Template,
  type TemplateData,
} from '../../documents/index.ts';
import { misconductPolicy } from '../../misconduct/policy.ts';
import type { ReportKind } from '../periods.ts';
import { formatAverage, formatPercent, type Ratio } from '../ratio.ts';

export interface Texts {
  locale: DocLocale;
  t(key: string, data?: TemplateData): string;
  has(key: string): boolean;
  /** '100.0%（812/812）' */
  rate(r: Ratio): string;
  /** A table cell: the percentage over its fraction ('97.2%\n245/252'). */
  rateCell(r: Ratio): string;
  /** '78.3%' */
  pct(r: Ratio): string;
  /** '2.3' */
  avg(r: Ratio): string;
  date(d: string): string;
  /** '林晓（S026）', or the number alone when the name is unknown; '' is nobody yet. */
  staff(no: string | null, names: Record<string, string>): string;
  /** A code's label under `group` (actions, sources, kinds, checks, results), or the code itself. */
  label(group: string, code: string): string;
  /** A misconduct level (`1`..`6`, `0`, `exempt`) with its name from policies/misconduct.yaml. */
  level(key: string): string;
  /** An integer as printed (thousands separated in English). */
  n(x: number): string;
}

export function reportTexts(kind: ReportKind, locale: DocLocale): Texts {
  const own: Template = loadTemplate(`report-${kind}`, locale);
  const common: Template = loadTemplate('report-common', locale);
  const t = (key: string, data: TemplateData = {}) => (own.has(key) ? own : common).render(key, data);
  const has = (key: string) => own.has(key) || common.has(key);
  const n = (x: number) => (locale === 'en' ? x.toLocaleString('en') : String(x));
  return {
    locale,
    t,
    has,
    rate: (r) => t('rate', { pct: formatPercent(r), num: n(r.num), den: n(r.den) }),
    rateCell: (r) => `${formatPercent(r)}\n${n(r.num)}/${n(r.den)}`,
    pct: (r) => formatPercent(r),
    avg: (r) => formatAverage(r),
    date: (d) => formatDocDate(d, locale),
    staff: (no, names) => {
      if (!no) return t('nobody');
      const name = names[no];
      if (!name) return no;
      return locale === 'zh-CN' ? `${name}（${no}）` : `${name} (${no})`;
    },
    label: (group, code) => (has(`${group}.${code}`) ? t(`${group}.${code}`) : code),
    level: (key) => {
      if (key === 'exempt') return t('levels.exempt');
      if (key === '0') return t('levels.none');
      const found = misconductPolicy().levels.find((l) => String(l.level) === key);
      return found ? t('levels.level', { level: key, name: found.name[locale] }) : key;
    },
    n,
  };
}
