/**
 * The second half of ingestion, once every line has passed the checks: new cases go in with one
 * INSERT ... SELECT, then the changed cases are walked in pages of 20,000 (in case-number order,
 * keyset paging over a temp table), each with its stored and new events in seq order, to decide
 * each new event's authority (as in force at the event's time), flag its anomalies and compute
 * the case's clock. The database writes the events itself from staging, joined with what was
 * decided; the state rows go in with the session's bulk path. While one page is written, the
 * next is decided.
 */
import { sql } from 'drizzle-orm';
import type { AuthorityEngine, Route, Seal, Stage } from '../authority/index.ts';
import type { WorkingCalendar } from '../calendar/index.ts';
import type { BulkSession, ColumnSpec, CopyValue } from './bulk.ts';
import { type CaseClock, type ClockEvent, computeCaseClock } from './clock.ts';
import type { CasePolicy } from './policy.ts';

/** What the ledger needs of an item. */
export interface LedgerItem {
  code: string;
  business: string;
  kind: string;
  statutoryDays: number;
  committedDays: number;
  fastTrackDays: number | null;
}

/** The part of the authority engine ingestion uses (synchronous, fast: a million calls). */
export type Decider = Pick<AuthorityEngine, 'decide'>;

export interface ApplyContext {
  session: BulkSession;
  decider: Decider;
  items: Map<string, LedgerItem>;
  calendar: WorkingCalendar;
  policy: CasePolicy;
  timeZone: string;
  asOf: Date;
  importId: number;
  /** Fingerprint of the calendar and policy, stored with each state row. */
  computedWith: string;
  onProgress?: (done: number) => void;
  /** Cases per page (tuning; tests make it small). */
  pageSize?: number;
  /** No line repeated what is stored or was sent twice: every case staged is changed. */
  nothingDropped?: boolean;
}

export const eventRowColumns: ColumnSpec[] = [
  { name: 'case_no', type: 'text' },
  { name: 'seq', type: 'int' },
  { name: 'at', type: 'timestamptz' },
  { name: 'action', type: 'text' },
  { name: 'actor', type: 'text' },
  { name: 'data', type: 'jsonb' },
  { name: 'anomalies', type: 'text[]' },
  { name: 'allowed', type: 'bool' },
  { name: 'via', type: 'text' },
  { name: 'post', type: 'text' },
  { name: 'acting_for', type: 'text' },
  { name: 'rule', type: 'jsonb' },
  { name: 'reasons', type: 'jsonb' },
  { name: 'policy_version', type: 'text' },
  { name: 'import_id', type: 'int' },
];

export const stateRowColumns: ColumnSpec[] = [
  { name: 'case_no', type: 'text' },
  { name: 'item_code', type: 'text' },
  { name: 'business', type: 'text' },
  { name: 'route', type: 'text' },
  { name: 'channel', type: 'text' },
  { name: 'state', type: 'text' },
  { name: 'received_at', type: 'timestamptz' },
  { name: 'received_on', type: 'date' },
  { name: 'accepted_on', type: 'date' },
  { name: 'acceptance', type: 'text' },
  { name: 'deemed_from', type: 'date' },
  { name: 'committed_days', type: 'int' },
  { name: 'statutory_days', type: 'int' },
  { name: 'committed_due', type: 'date' },
  { name: 'statutory_due', type: 'date' },
  { name: 'stopped_days', type: 'int' },
  { name: 'extension_days', type: 'int' },
  { name: 'clock_stopped_since', type: 'date' },
  { name: 'yellow_from', type: 'date' },
  { name: 'red_from', type: 'date' },
  { name: 'red_card_from', type: 'date' },
  { name: 'completed_at', type: 'timestamptz' },
  { name: 'completed_on', type: 'date' },
  { name: 'result', type: 'text' },
  { name: 'working_days_used', type: 'int' },
  { name: 'overdue', type: 'bool' },
  { name: 'statutory_overdue', type: 'bool' },
  { name: 'calendar_missing', type: 'bool' },
  { name: 'responsible', type: 'text' },
  { name: 'actors', type: 'text[]' },
  { name: 'anomalies', type: 'text[]' },
  { name: 'anomaly_count', type: 'int' },
  { name: 'denied_count', type: 'int' },
  { name: 'departments', type: 'jsonb' },
  { name: 'last_seq', type: 'int' },
  { name: 'last_event_at', type: 'timestamptz' },
  { name: 'computed_with', type: 'text' },
];

/** Cases per page: large enough to amortise the round trips, small enough to stay in memory. */
const PAGE = 20_000;

/** Actions whose `data` the clock, the anomalies or authority read; the rest stay in the database. */
const DATA_NEEDED = `('accept', 'dispatch', 'opinion', 'clock_stop', 'extend', 'return', 'complete', 'seal')`;

interface CaseRow {
  case_no: string;
  item_code: string;
  route: string;
  channel: string;
  received_ms: number;
  project: unknown;
}

interface EventRow {
  case_no: string;
  seq: number;
  at_ms: number;
  action: string;
  actor: string;
  data: string | null;
  fresh: boolean;
  allowed: boolean | null;
}

export interface ApplyResult {
  /** New events flagged with at least one anomaly. */
  anomalous: number;
  /** New events the authority in force at their time did not allow. */
  denied: number;
  casesUpdated: number;
}

const kindColumns: ColumnSpec[] = [
  { name: 'id', type: 'int' },
  { name: 'allowed', type: 'bool' },
  { name: 'via', type: 'text' },
  { name: 'post', type: 'text' },
  { name: 'acting_for', type: 'text' },
  { name: 'rule', type: 'jsonb' },
  { name: 'reasons', type: 'jsonb' },
  { name: 'policy_version', type: 'text' },
];

const outColumns: ColumnSpec[] = [
  { name: 'case_no', type: 'text' },
  { name: 'seq', type: 'int' },
  { name: 'anomalies', type: 'text[]' },
  { name: 'kind', type: 'int' },
];

/**
 * Moves the checked lines into the ledger. Staging must hold only new lines (see `dropKnown`).
 *
 * New events are written by the database itself (INSERT ... SELECT from staging), joined with
 * what JavaScript decided for each: its anomalies and a reference to its authority decision.
 * Decisions repeat (the same post, grant and policy for most events), so each distinct one is
 * sent once; the event's own data never makes the round trip back.
 */
export async function applyStaged(ctx: ApplyContext): Promise<ApplyResult> {
  const s = ctx.session;
  await s.exec(sql`insert into cases (case_no, item_code, route, channel, received_at, applicant_kind,
      applicant_name, applicant_id, project, import_id)
    select case_no, item_code, route, channel, received_at, applicant_kind, applicant_name, applicant_id,
      project, ${ctx.importId} from nk_in_cases`);
  // The cases this import changes (staging now holds only new lines).
  if (ctx.nothingDropped) {
    await s.exec('create temp view nk_changed as select case_no from nk_touched');
  } else {
    await s.exec(`create temp table nk_changed on commit drop as
        select case_no from nk_in_lines where kind in ('c', 'e') group by case_no`);
    await s.exec('alter table nk_changed add primary key (case_no)');
    await s.exec('analyze nk_changed');
  }
  await s.exec(`create temp table nk_kinds (id int primary key, allowed boolean, via text, post text,
      acting_for text, rule jsonb, reasons jsonb, policy_version text) on commit drop`);
  await s.exec(`create temp table nk_out (case_no text, seq int, anomalies text[], kind int) on commit drop`);

  const kinds = new Map<string, number>();
  const result: ApplyResult = { anomalous: 0, denied: 0, casesUpdated: 0 };
  // A pipeline: while the database writes one page, JavaScript decides the next (pages are
  // disjoint ranges of case numbers, so reading one while another is written is safe).
  const size = ctx.pageSize ?? PAGE;
  let page = await readPage(s, '', size);
  let writing: Promise<void> = Promise.resolve();
  while (page) {
    const built = await buildPage(ctx, page.caseRows, page.eventRows, kinds, result);
    await writing;
    const current = page;
    writing = writePage(ctx, current, built).then(() => {
      result.casesUpdated += current.caseRows.length;
      ctx.onProgress?.(result.casesUpdated);
    });
    writing.catch(() => {}); // observed at the next await; the transaction fails as a whole
    try {
      page = current.hi === null ? null : await readPage(s, current.hi, size);
    } catch (err) {
      await writing; // a failed write is the error worth telling
      throw err;
    }
  }
  await writing;
  return result;
}

interface Page {
  lo: string;
  hi: string | null;
  caseRows: CaseRow[];
  eventRows: EventRow[];
}

const rangeOf = (lo: string, hi: string | null) => (col: string) =>
  hi === null ? sql`${sql.raw(col)} > ${lo}` : sql`${sql.raw(col)} > ${lo} and ${sql.raw(col)} <= ${hi}`;

/** The next page of changed cases after `lo`, with their stored and new events in seq order. */
async function readPage(s: BulkSession, lo: string, size: number): Promise<Page | null> {
  const [bound] = await s.rows<{ case_no: string }>(
    sql`select case_no from nk_changed where case_no > ${lo} order by case_no offset ${size - 1} limit 1`,
  );
  const hi: string | null = bound?.case_no ?? null;
  const range = rangeOf(lo, hi);
  const caseRows = await s.rows<CaseRow>(sql`
    select c.case_no, c.item_code, c.route, c.channel,
      (extract(epoch from c.received_at) * 1000)::float8 as received_ms, c.project
    from nk_changed t join cases c on c.case_no = t.case_no where ${range('t.case_no')} and ${range('c.case_no')}
    order by c.case_no`);
  if (caseRows.length === 0) return null;
  // Stored events only for the page's cases stored before this import (the ranges keep every
  // scan to the page); a case sent again unchanged is not on the page at all.
  const eventRows = await s.rows<EventRow>(sql`
    select * from (
      select e.case_no, e.seq, (extract(epoch from e.at) * 1000)::float8 as at_ms, e.action, e.actor,
        case when e.action in ${sql.raw(DATA_NEEDED)} then e.data::text end as data, false as fresh, e.allowed
      from nk_known t join nk_changed ch on ch.case_no = t.case_no join case_events e on e.case_no = t.case_no
      where ${range('t.case_no')} and ${range('e.case_no')}
      union all
      select t.case_no, t.seq, (extract(epoch from t.at) * 1000)::float8, t.action, t.actor,
        case when t.action in ${sql.raw(DATA_NEEDED)} then t.data_text end, true, null
      from nk_in_events t where ${range('t.case_no')}
    ) x order by case_no, seq`);
  return { lo, hi, caseRows, eventRows };
}

/** Writes a page: its new events (by the database, from staging), then its cases' state. */
async function writePage(ctx: ApplyContext, page: Page, built: Awaited<ReturnType<typeof buildPage>>) {
  const s = ctx.session;
  const range = rangeOf(page.lo, page.hi);
  await s.copy('nk_kinds', kindColumns, built.kinds);
  await s.exec('truncate nk_out');
  await s.copy('nk_out', outColumns, built.out);
  await s.exec(sql`insert into case_events (case_no, seq, at, action, actor, data, anomalies, allowed, via, post,
      acting_for, rule, reasons, policy_version, import_id)
    select e.case_no, e.seq, e.at, e.action, e.actor, e.data, o.anomalies, k.allowed, k.via, k.post,
      k.acting_for, k.rule, k.reasons, k.policy_version, ${ctx.importId}
    from nk_out o
    join nk_in_events e on e.case_no = o.case_no and e.seq = o.seq and ${range('e.case_no')}
    join nk_kinds k on k.id = o.kind`);
  // Delete-then-load: the old state of the page's changed cases stored before (only they have one).
  await s.exec(
    sql`delete from case_state s using nk_known t, nk_changed ch
        where s.case_no = t.case_no and ch.case_no = t.case_no and ${range('t.case_no')} and ${range('s.case_no')}`,
  );
  await s.copy('case_state', stateRowColumns, built.states);
}

async function buildPage(
  ctx: ApplyContext,
  caseRows: CaseRow[],
  eventRows: EventRow[],
  kinds: Map<string, number>,
  result: ApplyResult,
) {
  const out: CopyValue[][] = [];
  const newKinds: CopyValue[][] = [];
  const states: CopyValue[][] = [];
  const kindOf = (d: DecisionColumns) => {
    const key = `${d.allowed}|${d.via}|${d.post}|${d.actingFor}|${d.rule}|${d.reasons}|${d.policyVersion}`;
    let id = kinds.get(key);
    if (id === undefined) {
      id = kinds.size + 1;
      kinds.set(key, id);
      newKinds.push([id, d.allowed, d.via, d.post, d.actingFor, d.rule, d.reasons, d.policyVersion]);
    }
    return id;
  };
  let n = 0;
  let next = 0;
  for (const c of caseRows) {
    // Let the previous page's writes move on between the statements they are made of.
    if (++n % 500 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const item = ctx.items.get(c.item_code);
    if (!item) throw new Error(`item ${c.item_code} of case ${c.case_no} vanished during ingestion`);
    // Cases and events come in the same (database) order of case numbers: walk them together.
    const from = next;
    while (next < eventRows.length && eventRows[next].case_no === c.case_no) next++;
    const rows = eventRows.slice(from, next);
    const project = typeof c.project === 'string' ? JSON.parse(c.project) : ((c.project as any) ?? null);
    const events: ClockEvent[] = rows.map((r) => ({
      seq: r.seq,
      at: new Date(r.at_ms),
      action: r.action,
      actor: r.actor,
      data: r.data === null ? {} : JSON.parse(r.data),
    }));
    const receivedAt = new Date(c.received_ms);
    const clock = computeCaseClock(
      { caseNo: c.case_no, route: c.route, receivedAt },
      events,
      item,
      ctx.calendar,
      {
        timeZone: ctx.timeZone,
        asOf: ctx.asOf,
        policy: ctx.policy,
      },
    );
    const history: { seq: number; action: string; actor: string; at: string }[] = [];
    let denied = 0;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const row = rows[i];
      if (row.fresh) {
        const d = decide(ctx.decider, c, project, item.code, e, history);
        const anomalies = clock.eventAnomalies[i];
        if (anomalies.length) result.anomalous++;
        if (d.allowed === false) result.denied++;
        row.allowed = d.allowed;
        out.push([c.case_no, e.seq, anomalies, kindOf(d)]);
      }
      if (row.allowed === false) denied++;
      history.push({ seq: e.seq, action: e.action, actor: e.actor, at: e.at.toISOString() });
    }
    states.push(stateRow(c, item, receivedAt, clock, denied, ctx.computedWith));
  }
  return { out, kinds: newKinds, states };
}

interface DecisionColumns {
  allowed: boolean | null;
  via: string | null;
  post: string | null;
  actingFor: string | null;
  rule: string | null;
  reasons: string;
  policyVersion: string | null;
}

/** A grant's rule is one frozen object shared by every decision it allows: its JSON is made once. */
const ruleTexts = new WeakMap<object, string>();
function ruleJson(rule: object): string {
  let text = ruleTexts.get(rule);
  if (text === undefined) {
    text = JSON.stringify(rule);
    ruleTexts.set(rule, text);
  }
  return text;
}

function decide(
  decider: Decider,
  c: CaseRow,
  project: any,
  item: string,
  e: ClockEvent,
  history: { seq: number; action: string; actor: string; at: string }[],
): DecisionColumns {
  try {
    const d = decider.decide({
      staff: e.actor,
      action: e.action,
      item,
      at: e.at,
      case: {
        caseNo: c.case_no,
        route: c.route as Route,
        channel: c.channel as 'online' | 'window',
        project,
        seal: e.action === 'seal' ? (e.data.seal as Seal) : undefined,
        stage: e.action === 'return' ? (e.data.stage as Stage) : undefined,
        // Not copied: the engine reads it while deciding and keeps no reference to the array
        // (a conflict names one of its events, which are never changed).
        history,
      },
    });
    return {
      allowed: d.allowed,
      via: d.via ?? null,
      post: d.post ?? null,
      actingFor: d.actingFor ?? null,
      rule: d.rule ? ruleJson(d.rule) : null,
      // An allowed decision is fully told by via, post, actingFor and rule; the explanation is
      // kept where it matters, for denials (and it is most of a row's size).
      reasons: d.allowed ? '[]' : JSON.stringify(d.reasons ?? []),
      policyVersion: d.policyVersion ?? null,
    };
  } catch (err) {
    // The engine refuses questions it cannot answer (e.g. an action outside its policies): the
    // event is still stored, with no decision and the reason.
    return {
      allowed: null,
      via: null,
      post: null,
      actingFor: null,
      rule: null,
      reasons: JSON.stringify([`no decision: ${(err as Error).message}`]),
      policyVersion: null,
    };
  }
}

function stateRow(
  c: CaseRow,
  item: LedgerItem,
  receivedAt: Date,
  k: CaseClock,
  denied: number,
  computedWith: string,
): CopyValue[] {
  return [
    c.case_no,
    c.item_code,
    item.business,
    c.route,
    c.channel,
    k.state,
    receivedAt,
    k.receivedOn,
    k.acceptedOn,
    k.acceptance,
    k.deemedFrom,
    k.committedDays,
    k.statutoryDays,
    k.committedDue,
    k.statutoryDue,
    k.stoppedDays,
    k.extensionDays,
    k.clockStoppedSince,
    k.yellowFrom,
    k.redFrom,
    k.redCardFrom,
    k.completedAt,
    k.completedOn,
    k.result,
    k.completedOn ? k.workingDaysUsed : null,
    k.overdue,
    k.statutoryOverdue,
    k.calendarMissing,
    k.responsible,
    k.actors,
    k.anomalies,
    k.anomalies.length,
    denied,
    JSON.stringify(k.departments),
    k.lastSeq,
    k.lastEventAt,
    computedWith,
  ];
}
