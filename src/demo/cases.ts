/**
 * The demo bureau's cases (`neikong demo --cases N`): a year of realistic approval cases as
 * `case-events` lines, over every route and channel, with faults planted at realistic rates and
 * listed, so that tests can check verification finds them all and nothing else.
 *
 * Cases are spread evenly over the working days of [from, to] in case-number order; case i is
 * planned from its own random stream (seed, i), so the lines stream in constant memory per case
 * and the same seed always gives the same lines. Cases whose events would run past `to` are
 * left open (only what happened by `to`, never a return or completion without its follow-up),
 * and carry no fault.
 *
 * @example
 * const org = demoOrg(1);
 * const { lines, faults } = generateDemoCases({
 *   seed: 1, cases: 20_000, from: '2026-01-01', to: '2026-12-31', org, calendar: getCalendar(),
 * });
 * for (const line of lines) process.stdout.write(`${JSON.stringify(line)}\n`);
 * faults; // [{ caseNo: 'QZJS-2026-000042', check: 'receipt', kind: 'missing-receipt', staff: 'S026', detail: '…' }, …]
 */
import { getCalendar, type WorkingCalendar } from '../calendar/index.ts';
import { type IngestProgress, type IngestResult, ingestCaseRecords } from '../cases/index.ts';
import type { DatabaseHandle, Db } from '../db/client.ts';
import type { OrgDocumentInput } from '../org/contract.ts';
import { exportOrg } from '../org/service.ts';
import { addDays, localDate } from '../platform/time.ts';
import { laterTimes, OFFICE_SECONDS, stamp, utcOffset } from './cases-clock.ts';
import { keyProjects } from './cases-parties.ts';
import {
  type Action,
  type CaseHeader,
  type DemoItem,
  faultChecks,
  type PlanContext,
  type PlantedFault,
  planCase,
} from './cases-plan.ts';
import { Roster } from './cases-roster.ts';
import { seededRandom } from './random.ts';

export type { CaseHeader, CheckName, FaultKind, PlantedFault } from './cases-plan.ts';
export { faultChecks } from './cases-plan.ts';

export interface CaseEventLine {
  type: 'event';
  caseNo: string;
  seq: number;
  at: string;
  action: Action;
  actor: string;
  data: Record<string, unknown>;
}

/** One line of the `case-events` contract. */
export type CaseLine = CaseHeader | CaseEventLine;

export interface DemoCaseOptions {
  seed: number;
  /** How many cases, spread over the working days of [from, to]. */
  cases: number;
  /** First and last receipt date (YYYY-MM-DD); nothing happens after `to`. */
  from: string;
  to: string;
  /** The bureau (normally `demoOrg(seed)`): its posts, holders, absences and catalogue. */
  org: OrgDocumentInput;
  calendar: WorkingCalendar;
  /**
   * Probability that a case carries a fault of each kind it could carry (default 0.02, at most
   * 1/7; one fault a case at most). Any case may lack its receipt or announcement; a granted one
   * may be approved or reviewed by someone without the authority; a granted normal, fast-track or
   * parallel case without stopped clock or extension may be late; a case with a supplement notice
   * (about 1 in 5) may get a second; a returned case (about 1 in 20) may go unfiled; a tolerance
   * case may never be supplemented. Cases still open at `to` carry none.
   */
  faultRate?: number;
}

/** How receipt days and case numbers follow from the case index. */
interface Layout {
  days: string[];
  /** Index of the first case received in each year. */
  yearStart: Map<string, number>;
}

const DEFAULT_FAULT_RATE = 0.02;

/**
 * The lines of the demo cases, in order: each case line, then its events with seq 1..n.
 * `onFault` hears of each planted fault when its case line is yielded.
 *
 * @example
 * for (const line of generateCaseLines({ seed: 1, cases: 100, from: '2026-01-05', to: '2026-06-30', org, calendar }))
 *   console.log(line.type, line.caseNo);
 */
export function* generateCaseLines(
  opts: DemoCaseOptions,
  onFault?: (fault: PlantedFault) => void,
): Generator<CaseLine> {
  const ctx = planContext(opts);
  const layout = layoutOf(opts);
  const n = opts.cases;
  const w = layout.days.length;
  const offset = utcOffset(opts.org.bureau?.timeZone ?? 'Asia/Shanghai', opts.from);
  const bureau = opts.org.bureau?.code ?? 'DEMO';
  for (let i = 0; i < n; i++) {
    const rnd = seededRandom(caseSeed(opts.seed, i));
    const d = Math.floor((i * w) / n);
    const day = layout.days[d];
    const year = day.slice(0, 4);
    const caseNo = `${bureau}-${year}-${String(i - layout.yearStart.get(year)! + 1).padStart(6, '0')}`;
    // Arrivals in case-number order through the day, until a quarter hour before closing.
    const first = Math.ceil((d * n) / w);
    const onDay = Math.ceil(((d + 1) * n) / w) - first;
    const arrival = Math.floor(((i - first + rnd.next()) / onDay) * (OFFICE_SECONDS - 900));
    const plan = planCase(ctx, rnd, caseNo, day);
    const header: CaseHeader = {
      type: 'case',
      caseNo,
      itemCode: plan.item.code,
      route: plan.route,
      channel: plan.channel,
      receivedAt: stamp(day, arrival, offset),
      applicant: plan.applicant,
      project: plan.project,
    };
    if (plan.fault && onFault) onFault({ caseNo, check: faultChecks[plan.fault.kind], ...plan.fault });
    yield header;
    let seq = 0;
    let k = 0;
    const steps = plan.steps;
    while (k < steps.length) {
      const date = steps[k].date;
      let end = k;
      while (end < steps.length && steps[end].date === date) end++;
      const times = laterTimes(rnd, date === day ? arrival : rnd.int(0, 1800), end - k);
      for (let j = k; j < end; j++) {
        const s = steps[j];
        yield {
          type: 'event',
          caseNo,
          seq: ++seq,
          at: stamp(date, times[j - k], offset),
          action: s.action,
          actor: s.actor,
          data: s.data,
        };
      }
      k = end;
    }
  }
}

/**
 * The lines and the planted faults together; `faults` fills in as `lines` is consumed, and is
 * complete once it is exhausted.
 *
 * @example
 * const { lines, faults } = generateDemoCases(opts);
 * await ingest(lines); // then faults lists every fault in what was ingested
 */
export function generateDemoCases(opts: DemoCaseOptions): {
  lines: Generator<CaseLine>;
  faults: PlantedFault[];
} {
  const faults: PlantedFault[] = [];
  return { lines: generateCaseLines(opts, (f) => faults.push(f)), faults };
}

/**
 * The planted faults alone, by a second deterministic pass over the same cases (the lines are
 * generated and dropped).
 *
 * @example
 * plantedFaults(opts).filter((f) => f.check === 'timely').length // ~2% of the cases that could be late
 */
export function plantedFaults(opts: DemoCaseOptions): PlantedFault[] {
  const { lines, faults } = generateDemoCases(opts);
  for (const _ of lines);
  return faults;
}

export interface LoadDemoCasesOptions {
  seed?: number;
  cases: number;
  /** Receipt dates; default the year up to yesterday (`to` = the day before `now`). */
  from?: string;
  to?: string;
  faultRate?: number;
  /** The bureau (default: the organisation in the database, as `exportOrg` gives it). */
  org?: OrgDocumentInput;
  /** The bureau's time zone, for dates and clocks (default: the org's, else Asia/Shanghai). */
  timeZone?: string;
  /** The time of asking for clocks and lights (default: now). */
  now?: Date;
  calendar?: WorkingCalendar;
  onProgress?: (p: IngestProgress) => void;
}

/**
 * Generates the demo cases and streams them into the case ledger (one ingestion: all or
 * nothing), for `neikong demo --cases N`. Load the demo bureau first (`loadDemo`): the cases are
 * staffed from the organisation in the database.
 *
 * @example
 * await loadDemo(db, { seed: 1, today: '2026-12-31' });
 * const { result, faults } = await loadDemoCases(deps.database, { seed: 1, cases: 20_000 });
 * result.events.new; // ~160,000
 */
export async function loadDemoCases(
  db: Db | DatabaseHandle,
  opts: LoadDemoCasesOptions,
): Promise<{ result: IngestResult; faults: PlantedFault[]; from: string; to: string }> {
  const handle = db as Partial<DatabaseHandle>;
  const org = opts.org ?? (await exportOrg(handle.kind && handle.db ? handle.db : (db as Db)));
  const timeZone = opts.timeZone ?? org.bureau?.timeZone ?? 'Asia/Shanghai';
  const now = opts.now ?? new Date();
  const to = opts.to ?? addDays(localDate(now, timeZone), -1);
  const from = opts.from ?? addDays(to, -364);
  const { lines, faults } = generateDemoCases({
    seed: opts.seed ?? 1,
    cases: opts.cases,
    from,
    to,
    org,
    calendar: opts.calendar ?? getCalendar(),
    faultRate: opts.faultRate,
  });
  const result = await ingestCaseRecords(db, lines, {
    actor: 'demo',
    source: 'demo',
    timeZone,
    now,
    calendar: opts.calendar,
    onProgress: opts.onProgress,
  });
  return { result, faults, from, to };
}

/** A 32-bit seed for case i: the case's own stream, independent of every other case. */
export function caseSeed(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function layoutOf(opts: DemoCaseOptions): Layout {
  const { calendar, from, to, cases } = opts;
  if (!Number.isInteger(cases) || cases < 0) throw new RangeError(`cases must be a whole number: ${cases}`);
  const days: string[] = [];
  for (let d = calendar.isWorkingDay(from) ? from : calendar.nextWorkingDay(from).date; d <= to; ) {
    days.push(d);
    d = calendar.nextWorkingDay(d).date;
  }
  if (days.length === 0 && cases > 0) throw new RangeError(`no working day between ${from} and ${to}`);
  const yearStart = new Map<string, number>();
  days.forEach((day, d) => {
    const y = day.slice(0, 4);
    if (!yearStart.has(y)) yearStart.set(y, Math.ceil((d * cases) / days.length));
  });
  return { days, yearStart };
}

function planContext(opts: DemoCaseOptions): PlanContext {
  const { org } = opts;
  const faultRate = opts.faultRate ?? DEFAULT_FAULT_RATE;
  if (!(faultRate >= 0 && faultRate <= 1 / 7))
    throw new RangeError(`faultRate must be in [0, 1/7]: ${faultRate}`);
  const roster = new Roster(org);
  // The window's approval system reports window items; the 8 handled in their units are not seen.
  // Sorted by code, so that the same bureau gives the same cases however its document is ordered
  // (`exportOrg` sorts; `demoOrg` does not).
  const items: DemoItem[] = [...(org.items ?? [])]
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .filter((i) => i.atWindow !== false)
    .map((i) => ({
      code: i.code,
      name: i.name,
      business: i.business,
      kind: i.kind,
      statutoryDays: i.statutoryDays,
      committedDays: i.committedDays,
      fastTrackDays: i.fastTrackDays,
      online: i.online ?? false,
      atWindow: i.atWindow ?? true,
      specialSeal: i.specialSeal ?? true,
      department: i.department,
      materials: (i.materials ?? []).map((m) => ({ code: m.code, primary: m.primary ?? true })),
    }));
  // Post certificates and instant registrations come in most often; joint items least.
  let sum = 0;
  const weights = items.map((i) => {
    sum += i.kind === 'joint' ? 1 : i.kind === 'instant' ? (i.business === 'post-certificate' ? 6 : 3) : 2;
    return sum;
  });
  // The online acceptance post (网上受理岗) takes online cases; the others serve the counter.
  const accept = roster.postsOf('accept');
  const online = accept.find((p) => p.name.includes('网上')) ?? accept[accept.length - 1];
  const counter = accept.filter((p) => p !== online);
  const one = (kind: 'announce' | 'chief') => {
    const p = roster.postsOf(kind)[0];
    if (!p) throw new Error(`demo cases: the org has no ${kind} post`);
    return p.code;
  };
  if (accept.length === 0) throw new Error('demo cases: the org has no acceptance post');
  const review = new Map<string, string>();
  const approve = new Map<string, string>();
  for (const i of items) {
    const r = roster.postsOf('review', i.business)[0];
    const a = roster.postsOf('approve', i.business)[0];
    if (!r || !a) throw new Error(`demo cases: no review or approval post covers ${i.business}`);
    review.set(i.business, r.code);
    approve.set(i.business, a.code);
  }
  if (!roster.head) throw new Error('demo cases: the org names no bureau head (extensions need one)');
  return {
    calendar: opts.calendar,
    roster,
    items,
    weights,
    projects: keyProjects(seededRandom(opts.seed ^ 0x5eed), Number(opts.from.slice(0, 4))),
    to: opts.to,
    faultRate,
    head: roster.head,
    posts: {
      online,
      window: counter.length ? counter : accept,
      announce: one('announce'),
      chief: one('chief'),
    },
    review,
    approve,
  };
}
