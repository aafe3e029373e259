/**
 * Facts the rotation rules are about, derived from the assignment history on a date: who holds
 * which post now, since when without a break (tenure, 任职年限), when someone last left a post
 * (cooling-off), and what a person would have to learn to be competent for a post.
 *
 * @example
 * const facts = historyFacts(history);
 * facts.current('2027-03-01').get('S007') // [{ staff: 'S007', post: 'P-REVIEW-SG', role: 'A', ... }]
 * facts.tenureStart('S007', 'P-REVIEW-SG', '2027-03-01') // '2021-03-01'
 * yearsBetween('2021-03-01', '2027-03-01') // 6
 */
import { addDays } from '../platform/time.ts';
import type { Holding, PlanPost } from './types.ts';

const FAR_FUTURE = '9999-12-31';

/** Whole and fractional years from `from` to `to` (calendar years, then days of the last year). */
export function yearsBetween(from: string, to: string): number {
  if (to < from) return -yearsBetween(to, from);
  const [fy, fm, fd] = from.split('-').map(Number);
  const [ty, tm, td] = to.split('-').map(Number);
  let whole = ty - fy;
  if (tm < fm || (tm === fm && td < fd)) whole--;
  const anniversary = addYears(from, whole);
  const next = addYears(from, whole + 1);
  const span = dayNumber(next) - dayNumber(anniversary);
  return whole + (dayNumber(to) - dayNumber(anniversary)) / span;
}

const dayNumber = (d: string) => Date.parse(`${d}T00:00:00Z`) / 86_400_000;

/** The date `n` months later (the last day of the month when the day does not exist there). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export const addYears = (date: string, n: number) => addMonths(date, Math.round(n * 12));

/** Subtracts whole or fractional years (months rounded). */
export const yearsBefore = (date: string, years: number) => addMonths(date, -Math.round(years * 12));

export interface HistoryFacts {
  /** Holdings in force on `date`, by staff number. */
  current(date: string): Map<string, Holding[]>;
  /** First day of the unbroken run (any role) in which `staff` holds `post` on `date`; null if not. */
  tenureStart(staff: string, post: string, date: string): string | null;
  /** Last day `staff` held `post` before `date` in a run that has ended; null if never. */
  lastLeft(staff: string, post: string, date: string): string | null;
  /** Every post `staff` left before `date`, with the last day held (one pass for many questions). */
  leftPosts(staff: string, date: string): Map<string, string>;
}

/** Indexes an assignment history for the questions the rules ask. */
export function historyFacts(history: readonly Holding[]): HistoryFacts {
  const byStaffPost = new Map<string, Holding[]>();
  for (const h of history) {
    const k = `${h.staff}\u0000${h.post}`;
    const list = byStaffPost.get(k) ?? [];
    list.push(h);
    byStaffPost.set(k, list);
  }
  for (const list of byStaffPost.values()) list.sort((a, b) => a.from.localeCompare(b.from));
  const postsOf = new Map<string, Set<string>>();
  for (const h of history) {
    const set = postsOf.get(h.staff) ?? new Set<string>();
    set.add(h.post);
    postsOf.set(h.staff, set);
  }
  const inForce = (h: Holding, date: string) => h.from <= date && (h.to ?? FAR_FUTURE) >= date;

  /** Runs of one person on one post: overlapping or adjacent holdings (any role) merged. */
  const runs = (staff: string, post: string) => {
    const out: { from: string; to: string }[] = [];
    for (const h of byStaffPost.get(`${staff}\u0000${post}`) ?? []) {
      const to = h.to ?? FAR_FUTURE;
      const last = out[out.length - 1];
      if (last && h.from <= (last.to === FAR_FUTURE ? FAR_FUTURE : addDays(last.to, 1))) {
        if (to > last.to) last.to = to;
      } else out.push({ from: h.from, to });
    }
    return out;
  };

  return {
    current(date) {
      const out = new Map<string, Holding[]>();
      for (const h of history) {
        if (!inForce(h, date)) continue;
        const list = out.get(h.staff) ?? [];
        list.push(h);
        out.set(h.staff, list);
      }
      return out;
    },
    tenureStart(staff, post, date) {
      return runs(staff, post).find((r) => r.from <= date && r.to >= date)?.from ?? null;
    },
    lastLeft(staff, post, date) {
      let last: string | null = null;
      for (const r of runs(staff, post)) if (r.to < date && (!last || r.to > last)) last = r.to;
      return last;
    },
    leftPosts(staff, date) {
      const out = new Map<string, string>();
      for (const post of postsOf.get(staff) ?? []) {
        const last = this.lastLeft(staff, post, date);
        if (last) out.set(post, last);
      }
      return out;
    },
  };
}

/**
 * The businesses a person would still have to learn to be competent for a post: all of the post's
 * businesses they do not know (`all`), or one of them when they know none (`any`). Empty: competent.
 */
export function missingBusinesses(known: ReadonlySet<string>, post: PlanPost, mode: 'all' | 'any'): string[] {
  if (post.businesses.length === 0) return [];
  const missing = post.businesses.filter((b) => !known.has(b));
  if (mode === 'all' || missing.length < post.businesses.length) return mode === 'all' ? missing : [];
  return [missing[0]];
}

/** Whether a person's declared conflicts of interest bar them from a post (回避). */
export function conflictWith(conflictBusinesses: ReadonlySet<string>, post: PlanPost): string | null {
  return post.businesses.find((b) => conflictBusinesses.has(b)) ?? null;
}

/** Maximum tenure for a post under the policy, in years. */
export function maxTenure(post: PlanPost, limits: { key: number; other: number }): number {
  return post.key ? limits.key : limits.other;
}
