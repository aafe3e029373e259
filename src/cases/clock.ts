/**
 * The working-day clock of one case: a pure function of the case line, its events (in `seq`
 * order), the item, the calendar and the time of asking. Ingestion stores its answer in
 * `case_state`; verification recomputes it to check a case.
 *
 * Rules (行政许可法):
 * - The clock counts from acceptance. A case with no `notify_supplement` within 5 working days of
 *   receipt counts as accepted on the day of receipt (Art. 32); an actual `accept` within those
 *   days counts from its own day. Until either is known, the deadline is reckoned from the day of
 *   receipt (the deemed one, and the earliest it can be), so a case nobody looks at still turns
 *   yellow and red.
 * - Committed limit: `committedDays`, `fastTrackDays` on the fast_track route, 0 for an instant
 *   item (due the day it is accepted). Statutory limit: `statutoryDays`.
 * - Working days between `clock_stop` and `clock_resume` do not count (Art. 45); approved
 *   `extend` days (with `approvedBy`) are added (Art. 42).
 * - Lights: yellow from `yellowLeadDays` working days before the committed deadline, red the day
 *   after it; a red case still open `followUpDays` working days after turning red gets a red card.
 *   While the clock is stopped a case is not yellow or red, unless its deadline had already passed
 *   when it stopped.
 *
 * @example
 * const clock = computeCaseClock(caseLine, events, item, getCalendar(), {
 *   timeZone: 'Asia/Shanghai', asOf: new Date(), policy: getCasePolicy(),
 * });
 * clock.committedDue // '2026-03-10'
 * lightOn(clock, '2026-03-11') // 'red'
 */
import type { WorkingCalendar } from '../calendar/index.ts';
import { addDays } from '../platform/time.ts';
import { type AnomalyCode, AnomalyTracker } from './anomalies.ts';
import { localDater } from './dates.ts';
import type { CasePolicy } from './policy.ts';
import type { DepartmentOpinion } from './schema.ts';

export const CASE_STATES = [
  'received',
  'awaiting_supplement',
  'accepted',
  'under_review',
  'decided',
  'completed',
  'announced',
] as const;
export type CaseStateName = (typeof CASE_STATES)[number];
export const LIGHTS = ['green', 'yellow', 'red', 'none'] as const;
export type Light = (typeof LIGHTS)[number];

export interface ClockCase {
  caseNo: string;
  route: string;
  receivedAt: Date;
}

export interface ClockItem {
  kind: string;
  statutoryDays: number;
  committedDays: number;
  fastTrackDays: number | null;
}

export interface ClockEvent {
  seq: number;
  at: Date;
  action: string;
  actor: string;
  data: Record<string, unknown>;
}

export interface ClockOptions {
  /** The bureau's time zone: event times become dates there. */
  timeZone: string;
  /** The time of asking: decides pending Art. 32 acceptance, open clock stops, days used and left. */
  asOf: Date;
  policy: Pick<CasePolicy, 'yellowLeadDays' | 'followUpDays' | 'deemedAcceptanceDays'>;
}

export interface ClockStop {
  from: string;
  /** null while the clock is still stopped. */
  to: string | null;
  /** Working days not counted (after acceptance). */
  days: number;
  reason: string | null;
}

export interface CaseClock {
  state: CaseStateName;
  receivedOn: string;
  /** `actual` accept; `deemed` (Art. 32); `pending`: no notice yet, within the notice period; `none`: awaiting supplement. */
  acceptance: 'actual' | 'deemed' | 'pending' | 'none';
  /** The day the clock counts from (for `pending`, the day of receipt, provisionally). */
  acceptedOn: string | null;
  /** The first day a case without a timely notice counts as accepted. */
  deemedFrom: string;
  limitBasis: 'committed' | 'fast_track' | 'instant';
  committedDays: number;
  statutoryDays: number;
  committedDue: string | null;
  statutoryDue: string | null;
  stoppedDays: number;
  stops: ClockStop[];
  extensionDays: number;
  clockStoppedSince: string | null;
  yellowFrom: string | null;
  redFrom: string | null;
  redCardFrom: string | null;
  completedAt: Date | null;
  completedOn: string | null;
  result: 'granted' | 'returned' | null;
  /** Working days counted so far (to completion, or to the day of asking). */
  workingDaysUsed: number | null;
  /** Working days from completion (or the day of asking) to the committed deadline; negative when past. */
  daysLeft: number | null;
  overdue: boolean | null;
  statutoryOverdue: boolean | null;
  light: Light;
  /** Some day the answer depended on lies in a year without a calendar file. */
  calendarMissing: boolean;
  responsible: string | null;
  actors: string[];
  departments: DepartmentOpinion[];
  /** Anomaly codes of each event, in the order given. */
  eventAnomalies: AnomalyCode[][];
  anomalies: AnomalyCode[];
  lastSeq: number;
  lastEventAt: Date | null;
}

const RANK: Record<CaseStateName, number> = {
  received: 0,
  awaiting_supplement: 1,
  accepted: 2,
  under_review: 3,
  decided: 4,
  completed: 5,
  announced: 6,
};
const REVIEW_WORK = new Set(['review', 'dispatch', 'opinion', 'clock_stop', 'clock_resume', 'extend']);

/** The light of a case on `today` from its stored dates (the same rule the ledger's SQL uses). */
export function lightOn(
  row: {
    completedOn?: string | null;
    completedAt?: Date | null;
    yellowFrom: string | null;
    redFrom: string | null;
  },
  today: string,
): Light {
  if (row.completedOn || row.completedAt) return 'none';
  if (row.redFrom && today >= row.redFrom) return 'red';
  if (row.yellowFrom && today >= row.yellowFrom) return 'yellow';
  return 'green';
}

/** Computes a case's clock; `events` must be the case's events in `seq` order. */
export function computeCaseClock(
  c: ClockCase,
  events: readonly ClockEvent[],
  item: ClockItem,
  calendar: WorkingCalendar,
  opts: ClockOptions,
): CaseClock {
  const dateOf = localDater(opts.timeZone);
  const today = dateOf(opts.asOf.getTime());
  let missing = false;
  const add = (from: string, n: number) => {
    const r = calendar.addWorkingDays(from, n);
    if (r.calendarMissing) missing = true;
    return r.date;
  };
  const count = (from: string, to: string) => {
    const r = calendar.countWorkingDays(from, to);
    if (r.calendarMissing) missing = true;
    return r.days;
  };

  // One pass: state, anomalies, the facts the deadlines need.
  const tracker = new AnomalyTracker(c.route);
  const eventAnomalies: AnomalyCode[][] = [];
  const anomalySet = new Set<AnomalyCode>();
  const actors: string[] = [];
  const departments = new Map<string, DepartmentOpinion>();
  let state: CaseStateName = 'received';
  let rank = 0;
  const raise = (s: CaseStateName) => {
    if (RANK[s] > rank) {
      state = s;
      rank = RANK[s];
    }
  };
  let firstNotifyOn: string | null = null;
  let firstAccept: { on: string; actor: string } | null = null;
  let receiptActor: string | null = null;
  const rawStops: { from: string; to: string | null; reason: string | null }[] = [];
  let extensionDays = 0;
  let complete: ClockEvent | null = null;
  for (const e of events) {
    const atMs = e.at.getTime();
    const found = tracker.next({ seq: e.seq, action: e.action, atMs, data: e.data });
    eventAnomalies.push(found);
    for (const a of found) anomalySet.add(a);
    if (!actors.includes(e.actor)) actors.push(e.actor);
    switch (e.action) {
      case 'receipt':
        receiptActor ??= e.actor;
        break;
      case 'notify_supplement':
        firstNotifyOn ??= dateOf(atMs);
        if (rank < RANK.accepted) {
          state = 'awaiting_supplement';
          rank = RANK.awaiting_supplement;
        }
        break;
      case 'supplement':
        if (state === 'awaiting_supplement') {
          state = 'received';
          rank = RANK.received;
        }
        break;
      case 'accept':
        firstAccept ??= { on: dateOf(atMs), actor: e.actor };
        raise('accepted');
        break;
      case 'clock_stop': {
        const open = rawStops.at(-1);
        if (!open || open.to !== null)
          rawStops.push({ from: dateOf(atMs), to: null, reason: str(e.data.reason) });
        break;
      }
      case 'clock_resume': {
        const open = rawStops.at(-1);
        if (open && open.to === null) open.to = dateOf(atMs);
        break;
      }
      case 'extend':
        if (e.data.approvedBy && typeof e.data.days === 'number') extensionDays += e.data.days;
        break;
      case 'dispatch':
        if (Array.isArray(e.data.departments)) {
          for (const d of e.data.departments) {
            if (typeof d === 'string' && !departments.has(d))
              departments.set(d, {
                department: d,
                dispatchedAt: e.at.toISOString(),
                opinion: null,
                opinionAt: null,
              });
          }
        }
        break;
      case 'opinion': {
        const d = str(e.data.department);
        if (d) {
          const entry = departments.get(d) ?? {
            department: d,
            dispatchedAt: '',
            opinion: null,
            opinionAt: null,
          };
          entry.opinion = e.data.opinion === 'refuse' ? 'refuse' : 'grant';
          entry.opinionAt = e.at.toISOString();
          departments.set(d, entry);
        }
        break;
      }
      case 'approve':
      case 'return':
        raise('decided');
        break;
      case 'complete':
        complete ??= e;
        raise('completed');
        break;
      case 'announce':
        raise('announced');
        break;
    }
    if (REVIEW_WORK.has(e.action)) raise('under_review');
  }

  const receivedOn = dateOf(c.receivedAt.getTime());
  const noticeDeadline = add(receivedOn, opts.policy.deemedAcceptanceDays);
  const deemedFrom = addDays(noticeDeadline, 1);
  const completedOn = complete ? dateOf(complete.at.getTime()) : null;
  const timelyNotice = firstNotifyOn !== null && firstNotifyOn <= noticeDeadline;

  let acceptance: CaseClock['acceptance'];
  let acceptedOn: string | null;
  const acc = firstAccept as { on: string; actor: string } | null;
  if (acc && (acc.on <= noticeDeadline || timelyNotice)) {
    acceptance = 'actual';
    acceptedOn = acc.on;
  } else if (timelyNotice) {
    acceptance = 'none';
    acceptedOn = null;
  } else if (acc || (completedOn !== null ? completedOn >= deemedFrom : today >= deemedFrom)) {
    acceptance = 'deemed';
    acceptedOn = receivedOn;
  } else if (completedOn !== null) {
    acceptance = 'none'; // closed (e.g. refused at intake) within the notice period
    acceptedOn = null;
  } else {
    acceptance = 'pending';
    acceptedOn = receivedOn;
  }
  if (acceptance === 'deemed' && rank < RANK.accepted) raise('accepted');

  const instant = item.kind === 'instant' || item.committedDays === 0;
  const limitBasis: CaseClock['limitBasis'] = instant
    ? 'instant'
    : c.route === 'fast_track'
      ? 'fast_track'
      : 'committed';
  const committedDays = instant
    ? 0
    : c.route === 'fast_track'
      ? (item.fastTrackDays ?? item.committedDays)
      : item.committedDays;
  const statutoryDays = item.statutoryDays;

  // Clock stops: only working days after acceptance count as stopped; one left open at
  // completion ends there (and is flagged as an anomaly).
  const stops: ClockStop[] = [];
  let stoppedDays = 0;
  let openStop: ClockStop | null = null;
  for (const s of rawStops) {
    const to = s.to ?? completedOn;
    const stop: ClockStop = { from: s.from, to, days: 0, reason: s.reason };
    if (acceptedOn && to !== null) {
      const start = s.from > acceptedOn ? s.from : acceptedOn;
      stop.days = to > start ? count(start, to) : 0;
      stoppedDays += stop.days;
    }
    if (to === null) openStop = stop;
    stops.push(stop);
  }

  let committedDue: string | null = null;
  let statutoryDue: string | null = null;
  let yellowFrom: string | null = null;
  let redFrom: string | null = null;
  let redCardFrom: string | null = null;
  let clockStoppedSince: string | null = null;
  let runningStop = 0;
  if (acceptedOn) {
    const dueAtStop = add(acceptedOn, committedDays + stoppedDays + extensionDays);
    if (openStop && acceptedOn) {
      clockStoppedSince = openStop.from;
      const start = openStop.from > acceptedOn ? openStop.from : acceptedOn;
      runningStop = today > start ? count(start, today) : 0;
      openStop.days = runningStop;
    }
    committedDue = add(acceptedOn, committedDays + stoppedDays + runningStop + extensionDays);
    statutoryDue = add(acceptedOn, statutoryDays + stoppedDays + runningStop + extensionDays);
    const lightsPaused = openStop !== null && openStop.from <= dueAtStop;
    if (!lightsPaused) {
      const due = openStop ? dueAtStop : committedDue;
      yellowFrom = add(due, -opts.policy.yellowLeadDays);
      if (yellowFrom < acceptedOn) yellowFrom = acceptedOn;
      redFrom = addDays(due, 1);
      redCardFrom = add(due, 1 + opts.policy.followUpDays);
    }
  }

  const until = completedOn ?? today;
  const workingDaysUsed = acceptedOn
    ? Math.max(0, count(acceptedOn, until > acceptedOn ? until : acceptedOn) - stoppedDays - runningStop)
    : null;
  const daysLeft = committedDue ? count(until, committedDue) : null;
  const done = complete as ClockEvent | null;
  const light = lightOn({ completedOn, yellowFrom, redFrom }, today);
  const last = events.at(-1);
  return {
    state,
    receivedOn,
    acceptance,
    acceptedOn,
    deemedFrom,
    limitBasis,
    committedDays,
    statutoryDays,
    committedDue,
    statutoryDue,
    stoppedDays: stoppedDays + runningStop,
    stops,
    extensionDays,
    clockStoppedSince,
    yellowFrom,
    redFrom,
    redCardFrom,
    completedAt: done ? done.at : null,
    completedOn,
    result: done ? (done.data.result === 'returned' ? 'returned' : 'granted') : null,
    workingDaysUsed,
    daysLeft,
    overdue: completedOn && committedDue ? completedOn > committedDue : null,
    statutoryOverdue: completedOn && statutoryDue ? completedOn > statutoryDue : null,
    light,
    calendarMissing: missing,
    responsible: (acc?.actor ?? receiptActor ?? events[0]?.actor) || null,
    actors,
    departments: [...departments.values()],
    eventAnomalies,
    anomalies: [...anomalySet],
    lastSeq: last?.seq ?? 0,
    lastEventAt: last?.at ?? null,
  };
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
