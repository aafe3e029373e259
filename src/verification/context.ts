/**
 * The facts a run hands to its SQL as parameters, gathered once per run through the other
 * modules' exported functions (never their tables): the catalogue, the working-day calendar of
 * the span, the separation-of-duties rules and who may approve an extension (authority), and who
 * was on duty at the announcement desk each day (org assignments and absences). Each is small
 * (a few thousand numbers at most), so the checks stay one set-based query over the ledger.
 *
 * @example
 * const ctx = await runContext(db, { timeZone, from: '2026-03-01', to: '2026-03-31', asOf: new Date() });
 * ctx.sod // [{ id: 'accept-not-approve', actions: ['approve'], conflicts: ['accept'], items: [...] }]
 */

import { sql } from 'drizzle-orm';
import { type AuthorityEngine, getAuthorityEngine } from '../authority/index.ts';
import { getCalendar, type WorkingCalendar } from '../calendar/index.ts';
import { caseState } from '../cases/index.ts';
import type { Db } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import { absenceHistory, assignmentHistory, getBureau, listItems, listPosts } from '../org/service.ts';
import { addDays, localDate } from '../platform/time.ts';
import { type SqlCalendar, sqlCalendar } from './sql-calendar.ts';

export interface ItemFact {
  code: string;
  name: string;
  business: string;
  kind: string;
  committed: number;
  fast: number | null;
  statutory: number;
  special_seal: boolean;
  secondary: string[];
}

/** A separation-of-duties rule as SQL needs it. `approve_extension` stands for an extension's approver. */
export interface SodRule {
  id: string;
  message: string;
  actions: string[];
  conflicts: string[];
  /** Item codes the rule covers (all items when the rule names none). */
  items: string[];
}

/** Who may approve an extension, and when (null: open). */
export interface Approver {
  staff: string;
  from: string | null;
  to: string | null;
}

export interface RunContext {
  timeZone: string;
  calendar: SqlCalendar;
  calendarVersion: string;
  authorityVersion: string | null;
  items: ItemFact[];
  sod: SodRule[];
  approvers: Approver[];
  /** Who acted for the posts granted `announce`, per day (only days with someone). */
  announceDuty: { d: string; staff: string[] }[];
  /** The bureau's local date of `asOf`. */
  asOfDate: string;
}

export interface ContextOptions {
  timeZone: string;
  /** The span of dates the run's cases can touch. */
  spanFrom: string;
  spanTo: string;
  asOfDate: string;
  calendar?: WorkingCalendar;
}

/** Matches a post pattern of the authority policies (`P-ACCEPT-*`). */
function postMatches(pattern: string, post: string): boolean {
  if (!pattern.includes('*')) return pattern === post;
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\-]/g, '\\$&').replaceAll('*', '.*')}$`);
  return re.test(post);
}

interface Selector {
  all?: boolean;
  codes?: string[];
  businesses?: string[] | '$post';
  kinds?: string[];
  specialSeal?: boolean;
  atWindow?: boolean;
  online?: boolean;
}

/** Whether an item is among the items of a separation rule's selector (no post: `$post` selects none). */
function selected(
  sel: Selector | undefined,
  item: {
    code: string;
    business: string;
    kind: string;
    specialSeal: boolean;
    atWindow: boolean;
    online: boolean;
  },
) {
  if (!sel || sel.all) return true;
  if (sel.codes && !sel.codes.includes(item.code)) return false;
  if (sel.businesses && (sel.businesses === '$post' || !sel.businesses.includes(item.business))) return false;
  if (sel.kinds && !sel.kinds.includes(item.kind)) return false;
  if (sel.specialSeal !== undefined && sel.specialSeal !== item.specialSeal) return false;
  if (sel.atWindow !== undefined && sel.atWindow !== item.atWindow) return false;
  if (sel.online !== undefined && sel.online !== item.online) return false;
  return true;
}

/**
 * The context of a run asked at `asOf` (in `timeZone`) over a period ending `periodTo` (none for
 * a list of cases). Its span of dates runs from a month before the ledger's first receipt to 400
 * days past the asking or the period's end, whichever is later; it does not depend on the
 * period's start, so every run asked on the same day over a past period has the same context
 * (and may copy the results cache: results-cache.ts).
 */
export async function contextAt(
  db: Db,
  opts: { timeZone: string; asOf: Date; periodTo?: string | null; calendar?: WorkingCalendar },
): Promise<RunContext> {
  const asOfDate = localDate(opts.asOf, opts.timeZone);
  const [row] = await queryRows<{ first: Date | string | null }>(
    db,
    sql`select min(${caseState.receivedAt}) as first from ${caseState}`,
  );
  const first = row?.first ? localDate(new Date(row.first), opts.timeZone) : asOfDate;
  const end = [asOfDate, opts.periodTo ?? asOfDate].sort()[1];
  return runContext(db, {
    timeZone: opts.timeZone,
    spanFrom: addDays([first, asOfDate].sort()[0], -31),
    spanTo: addDays(end, 400),
    asOfDate,
    calendar: opts.calendar,
  });
}

/** Gathers the run's parameter facts. */
export async function runContext(db: Db, opts: ContextOptions): Promise<RunContext> {
  const calendar = opts.calendar ?? getCalendar();
  const catalogue = await listItems(db);
  const engine = await getAuthorityEngine(db);
  const items: ItemFact[] = catalogue.map((i) => ({
    code: i.code,
    name: i.name,
    business: i.business,
    kind: i.kind,
    committed: i.committedDays,
    fast: i.fastTrackDays,
    statutory: i.statutoryDays,
    special_seal: i.specialSeal,
    secondary: i.materials.filter((m) => !m.primary).map((m) => m.code),
  }));
  const sod = sodRules(engine, catalogue);
  return {
    timeZone: opts.timeZone,
    calendar: sqlCalendar(calendar, opts.spanFrom, opts.spanTo),
    calendarVersion: calendar.version,
    authorityVersion: engine.policyVersion,
    items,
    sod,
    approvers: await extensionApprovers(db, engine),
    announceDuty: await dutyRoster(db, engine, 'announce', opts.spanFrom, opts.spanTo),
    asOfDate: opts.asOfDate,
  };
}

function sodRules(engine: AuthorityEngine, catalogue: Awaited<ReturnType<typeof listItems>>): SodRule[] {
  return engine.policy.separation.map((r) => ({
    id: r.id,
    message: r.message,
    actions: [...r.actions],
    conflicts: [...r.conflictsWith],
    items: catalogue.filter((i) => selected(r.items as Selector | undefined, i)).map((i) => i.code),
  }));
}

/** The separation-of-duties rules of the authority policies in force (as a run reads them). */
export async function separationRules(db: Db): Promise<SodRule[]> {
  return sodRules(await getAuthorityEngine(db), await listItems(db));
}

/** The organ's head (always) and the A holders of posts granted `approve_extension`, with their dates. */
async function extensionApprovers(db: Db, engine: AuthorityEngine): Promise<Approver[]> {
  const out: Approver[] = [];
  const head = (await getBureau(db))?.head ?? engine.head;
  const grants = engine.policy.grants.filter((g) => g.actions.includes('approve_extension'));
  if (head && grants.some((g) => g.head)) out.push({ staff: head, from: null, to: null });
  const patterns = grants.flatMap((g) => g.posts);
  if (patterns.length) {
    for (const a of await assignmentHistory(db)) {
      if (a.role === 'A' && patterns.some((p) => postMatches(p, a.post)))
        out.push({ staff: a.staffNo, from: a.from, to: a.effectiveTo });
    }
  }
  return out;
}

/**
 * Who acted for the posts granted `action` on each day of [from, to]: the A holder unless
 * recorded absent, else the B holders (AB岗工作制). Used to name who should have acted when an
 * action is missing (an announcement nobody made).
 */
async function dutyRoster(
  db: Db,
  engine: AuthorityEngine,
  action: string,
  from: string,
  to: string,
): Promise<{ d: string; staff: string[] }[]> {
  const patterns = engine.policy.grants.filter((g) => g.actions.includes(action)).flatMap((g) => g.posts);
  const posts = (await listPosts(db))
    .filter((p) => patterns.some((pat) => postMatches(pat, p.code)))
    .map((p) => p.code);
  if (posts.length === 0) return [];
  const holders = (await assignmentHistory(db)).filter((a) => posts.includes(a.post));
  const absences = await absenceHistory(db);
  const away = (staff: string, d: string) =>
    absences.some((a) => a.staffNo === staff && a.from <= d && d <= a.to);
  const holds = (a: (typeof holders)[number], d: string) =>
    a.from <= d && (a.effectiveTo === null || d <= a.effectiveTo);
  const out: { d: string; staff: string[] }[] = [];
  const first = holders.map((a) => a.from).sort()[0] ?? to;
  for (let d = first > from ? first : from; d <= to; d = addDays(d, 1)) {
    const staff = new Set<string>();
    for (const post of posts) {
      const a = holders.filter(
        (h) => h.post === post && h.role === 'A' && holds(h, d) && !away(h.staffNo, d),
      );
      const b = a.length
        ? []
        : holders.filter((h) => h.post === post && h.role === 'B' && holds(h, d) && !away(h.staffNo, d));
      for (const h of a.length ? a : b) staff.add(h.staffNo);
    }
    if (staff.size) out.push({ d, staff: [...staff].sort() });
  }
  return out;
}
