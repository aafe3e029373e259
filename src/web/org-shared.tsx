/**
 * Pieces the organisation pages share: page and text parameters, business labels, tenure, the
 * link to a person and the filter bar.
 *
 * @example
 * <FilterForm v={v} reset="/org/staff"><Select ... /></FilterForm>
 * tenure(v, '2021-03-01'); // '5年' on 2026-03-02
 */
import type { Child } from 'hono/jsx';
import { localDate } from '../platform/time.ts';
import { formatTenure, labelOr, monthsBetween } from './i18n.ts';
import type { View } from './render.tsx';

export const PAGE_SIZE = 50;
const MAX_PAGE = 100_000;

/** Lenient: a bad page number shows the first page rather than an error. */
export const pageParam = (s: string | undefined) => {
  const n = Number(s);
  return Number.isInteger(n) && n >= 1 && n <= MAX_PAGE ? n : 1;
};
export const textParam = (s: string | undefined, max = 100) => (s ?? '').trim().slice(0, max) || undefined;

export const businessLabel = (v: View, code: string) => labelOr(v.locale, `business.${code}`, code);
export const todayOf = (v: View) => localDate(new Date(), v.timeZone);
export const tenure = (v: View, since: string | null) =>
  since ? formatTenure(monthsBetween(since, todayOf(v)), v.t) : '';

export function Businesses({ v, codes }: { v: View; codes: string[] }) {
  if (codes.length === 0) return <span class="muted">—</span>;
  return (
    <span class="tags">
      {codes.map((b) => (
        <span class="tag" title={b}>
          {businessLabel(v, b)}
        </span>
      ))}
    </span>
  );
}

export const StaffLink = ({ no, name }: { no: string; name: string | null }) => (
  <a href={`/org/staff/${encodeURIComponent(no)}`}>
    {name ?? no} <span class="code">{no}</span>
  </a>
);

export function FilterForm({ v, children, reset }: { v: View; children: Child; reset: string }) {
  return (
    <form method="get" class="filters">
      {children}
      <div class="filter-actions">
        <button type="submit" class="btn btn-primary">
          {v.t('common.search')}
        </button>
        <a class="btn btn-ghost" href={reset}>
          {v.t('common.reset')}
        </a>
      </div>
    </form>
  );
}
