/**
 * Plans one demo case: its item, route, channel, applicant and the dated steps of its events
 * (who did what on which working day), with at most one planted fault. Times within the day
 * are added afterwards (cases.ts), so this file is about days, limits and authority.
 *
 * How a clean case stays clean (the verification checks of DESIGN.md):
 * - timely: the decision day is at most the limit (fast-track limit on `fast_track`, the fast-
 *   track limit too on `green_channel`, which satisfies either reading) working days after
 *   acceptance, and also after receipt when no supplement notice moved acceptance later (so an
 *   Art. 32 reading "accepted on arrival" finds it on time as well). A stopped clock is credited
 *   only with the working days strictly between stop and resume, an extension only after it was
 *   granted before the original deadline; neither runs past the statutory limit.
 * - one-notice: one notice within 3 working days of receipt, naming exactly what is supplied.
 * - receipt, announced, refusal-filed: receipt on the arrival day; announcement the day of
 *   completion or the next working day; every return is filed upward the same or next working
 *   day, before completion, to whoever acts for the section chief that day.
 * - authorized, separation: every actor is whoever acts for the post that day (A, or B while A
 *   is away); acceptance, review and approval are three different people; nobody acts on an item
 *   they declared a conflict on.
 * - seal, tolerance, green-channel: the approval seal only where the item allows it; tolerance
 *   and green channel only for key projects, tolerance owing only secondary materials, all
 *   supplied by `dueBy`.
 * A case that cannot be staffed that way (everyone away) is drawn again.
 */
import type { WorkingCalendar } from '../calendar/index.ts';
import { type Applicant, type KeyProject, orgApplicant, personApplicant } from './cases-parties.ts';
import type { Roster, RosterPost } from './cases-roster.ts';
import {
  decisionRefusal,
  dispatchTo,
  filingNote,
  intakeRefusal,
  type Refusal,
  refusalNote,
} from './cases-text.ts';
import type { Random } from './random.ts';

export type Route = 'normal' | 'fast_track' | 'green_channel' | 'tolerance' | 'parallel';
export type Channel = 'online' | 'window';
export type Action =
  | 'receipt'
  | 'notify_supplement'
  | 'supplement'
  | 'accept'
  | 'review'
  | 'dispatch'
  | 'opinion'
  | 'clock_stop'
  | 'clock_resume'
  | 'extend'
  | 'approve'
  | 'return'
  | 'file_rejection'
  | 'seal'
  | 'complete'
  | 'announce'
  | 'deliver';

/** The verification checks of DESIGN.md ("Default rules"). */
export type CheckName =
  | 'timely'
  | 'one-notice'
  | 'receipt'
  | 'refusal-filed'
  | 'announced'
  | 'authorized'
  | 'separation'
  | 'seal'
  | 'tolerance'
  | 'green-channel'
  | 'extension';

/** The faults the generator plants, and the check that must find each. */
export const faultChecks = {
  'late-completion': 'timely',
  'second-notice': 'one-notice',
  'unfiled-refusal': 'refusal-filed',
  'unauthorized-action': 'authorized',
  'missing-receipt': 'receipt',
  'missing-announcement': 'announced',
  'tolerance-unsupplied': 'tolerance',
} as const satisfies Record<string, CheckName>;
export type FaultKind = keyof typeof faultChecks;

export interface PlantedFault {
  caseNo: string;
  check: CheckName;
  kind: FaultKind;
  /** The staff member responsible (who acted wrongly, or who should have acted). */
  staff: string;
  detail: string;
}

export interface DemoItem {
  code: string;
  name: string;
  business: string;
  kind: 'instant' | 'committed' | 'joint';
  statutoryDays: number;
  committedDays: number;
  fastTrackDays?: number | null;
  online: boolean;
  atWindow: boolean;
  specialSeal: boolean;
  department?: string | null;
  materials: { code: string; primary: boolean }[];
}

export interface Step {
  date: string;
  action: Action;
  actor: string;
  data: Record<string, unknown>;
}

export interface CaseHeader {
  type: 'case';
  caseNo: string;
  itemCode: string;
  route: Route;
  channel: Channel;
  receivedAt: string;
  applicant: Applicant;
  project: KeyProject | null;
}

export interface PlanContext {
  calendar: WorkingCalendar;
  roster: Roster;
  items: DemoItem[];
  /** Cumulative pick weights of `items`. */
  weights: number[];
  projects: KeyProject[];
  to: string;
  faultRate: number;
  head: string;
  posts: { online: RosterPost; window: RosterPost[]; announce: string; chief: string };
  review: Map<string, string>;
  approve: Map<string, string>;
}

export interface PlannedCase {
  item: DemoItem;
  route: Route;
  channel: Channel;
  applicant: Applicant;
  project: KeyProject | null;
  steps: Step[];
  fault: { kind: FaultKind; staff: string; detail: string } | null;
  /** Whether events after `to` were left off (an open case). */
  open: boolean;
}

/** Businesses whose cases belong to construction projects, which may be key projects. */
const projectBusinesses = new Set([
  'construction-permit',
  'engineering-construction',
  'urban-construction',
  'survey-design',
]);

class Retry extends Error {}
const retry = new Retry('redraw');

/**
 * Plans case `caseNo` received on working day `day`. Deterministic for the random stream.
 * @throws Error when no staffing works after many draws (an org that cannot run the demo)
 */
export function planCase(ctx: PlanContext, rnd: Random, caseNo: string, day: string): PlannedCase {
  let allowFault = true;
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const planned = draw(ctx, rnd, caseNo, day, allowFault);
      if (planned) return planned;
      // A fault in a case still open at `to` would never be verified: draw a clean case instead.
      allowFault = false;
    } catch (e) {
      if (e !== retry) throw e;
    }
  }
  throw new Error(`demo cases: cannot staff case ${caseNo} received ${day} (everyone needed is away?)`);
}

function pickItem(ctx: PlanContext, rnd: Random): DemoItem {
  const total = ctx.weights[ctx.weights.length - 1];
  const x = rnd.next() * total;
  let i = 0;
  while (ctx.weights[i] <= x) i++;
  return ctx.items[i];
}

/** A number in [lo, hi] leaning low: most cases finish well inside their limit (提前办结). */
const early = (rnd: Random, lo: number, hi: number) =>
  lo + Math.floor(rnd.next() * rnd.next() * (hi - lo + 1));

function draw(
  ctx: PlanContext,
  rnd: Random,
  caseNo: string,
  R: string,
  allowFault: boolean,
): PlannedCase | null {
  const { roster, calendar } = ctx;
  const wd = (d: string, n: number) => (n === 0 ? d : calendar.addWorkingDays(d, n).date);
  const item = pickItem(ctx, rnd);
  const channel: Channel = item.online && rnd.chance(0.65) ? 'online' : 'window';
  const project =
    projectBusinesses.has(item.business) && item.kind !== 'instant' && rnd.chance(0.12)
      ? rnd.pick(ctx.projects)
      : null;
  const secondary = item.materials.filter((m) => !m.primary).map((m) => m.code);

  let route: Route;
  if (item.kind === 'joint') route = 'parallel';
  else if (item.kind === 'instant') route = 'normal';
  else if (project) {
    const r = rnd.next();
    route = r < 0.45 ? 'green_channel' : r < 0.8 && secondary.length ? 'tolerance' : 'normal';
  } else route = item.fastTrackDays != null && rnd.chance(0.15) ? 'fast_track' : 'normal';
  const fast = Math.min(item.fastTrackDays ?? item.committedDays, item.committedDays);
  const limit = route === 'fast_track' || route === 'green_channel' ? fast : item.committedDays;

  const r = rnd.next();
  type Outcome = 'granted' | 'intake' | 'decision';
  let outcome: Outcome = 'granted';
  if (route === 'green_channel') outcome = r < 0.02 ? 'decision' : 'granted';
  else if (route !== 'tolerance')
    outcome = r < 0.03 ? 'intake' : r < 0.06 && item.kind !== 'instant' ? 'decision' : 'granted';
  const supplement = outcome !== 'intake' && route !== 'tolerance' && rnd.chance(0.2);
  const complex = item.kind === 'joint' || item.committedDays >= 10;
  const stoppable = outcome === 'granted' && complex && (route === 'normal' || route === 'parallel');
  // Acceptance the day after arrival, on some committed cases that needed no supplement.
  const delay = !supplement && item.kind !== 'instant' && limit >= 1 && rnd.chance(0.3) ? 1 : 0;
  const budget = limit - delay;
  const stop = stoppable && budget >= 1 && rnd.chance(0.1);
  const extend = stoppable && !stop && budget >= 1 && item.statutoryDays - limit >= 1 && rnd.chance(0.04);

  // At most one fault, each eligible kind with probability faultRate.
  const eligible: FaultKind[] = ['missing-receipt', 'missing-announcement'];
  if (outcome === 'granted') eligible.push('unauthorized-action');
  if (outcome === 'granted' && !stop && !extend && route !== 'green_channel' && route !== 'tolerance')
    eligible.push('late-completion');
  if (supplement) eligible.push('second-notice');
  if (outcome !== 'granted') eligible.push('unfiled-refusal');
  if (route === 'tolerance') eligible.push('tolerance-unsupplied');
  const u = rnd.next();
  const k = ctx.faultRate > 0 ? Math.floor(u / ctx.faultRate) : eligible.length;
  const fault: FaultKind | null = allowFault && k < eligible.length ? eligible[k] : null;

  const acceptPost = channel === 'online' ? ctx.posts.online : rnd.pick(ctx.posts.window);
  const reviewPost = ctx.review.get(item.business);
  const approvePost = ctx.approve.get(item.business);
  if (!reviewPost || !approvePost)
    throw new Error(`demo cases: no review or approval post for ${item.business}`);

  const steps: Step[] = [];
  const who = (post: string, date: string) => {
    const s = roster.acting(post, date);
    if (!s || roster.conflicted(s, item.code)) throw retry;
    return s;
  };
  const add = (date: string, action: Action, actor: string, data: Record<string, unknown> = {}) => {
    steps.push({ date, action, actor, data });
  };
  let planted: PlannedCase['fault'] = null;
  // Days by which a planted omission is overdue: they must fall by `to`, or nothing is missing yet.
  const settle: string[] = [];
  const plant = (staff: string, detail: string) => {
    planted = { kind: fault!, staff, detail };
  };

  const intakeActors = new Set<string>();
  const intake = (date: string, action: Action, data: Record<string, unknown> = {}) => {
    const s = who(acceptPost.code, date);
    intakeActors.add(s);
    add(date, action, s, data);
    return s;
  };

  // 收件回执: on the day the materials arrived.
  if (fault === 'missing-receipt') plant(who(acceptPost.code, R), `no receipt (收件回执) was given on ${R}`);
  else intake(R, 'receipt', { receiptNo: `R${caseNo.slice(-11).replace('-', '')}` });

  const refusal = (date: string, stage: 'intake' | 'decision', actor: string, text: Refusal) =>
    add(date, 'return', actor, {
      stage,
      reasons: text.reasons,
      legalBasis: text.legalBasis,
      remedies: text.remedies,
      // Art. 38 requires it of a refusal (decision); at intake some bureaus tell it, some not.
      appealRightsNotified: stage === 'decision' ? true : rnd.chance(0.7),
    });
  const fileUp = (date: string, returner: string, stage: 'intake' | 'decision') => {
    if (fault === 'unfiled-refusal') {
      settle.push(wd(date, 1));
      const desk = who(ctx.posts.announce, date);
      plant(
        returner,
        `the ${stage} refusal was never filed with the section chief (否定报备; ${desk} at 公告报备岗 files them)`,
      );
      return;
    }
    // 否定报备: the 公告报备岗 reports the refusal to whoever acts as section chief that day.
    add(date, 'file_rejection', who(ctx.posts.announce, date), {
      filedTo: who(ctx.posts.chief, date),
      note: filingNote(stage),
    });
  };
  const completeAndAnnounce = (date: string, actor: string, result: 'granted' | 'returned') => {
    add(date, 'complete', actor, { result });
    const day = wd(date, rnd.chance(0.6) ? 0 : 1);
    if (fault === 'missing-announcement') {
      settle.push(wd(date, 1));
      plant(who(ctx.posts.announce, day), `completed ${date}, never announced (办结公告)`);
    } else add(day, 'announce', who(ctx.posts.announce, day));
  };

  if (outcome === 'intake') {
    // 不予受理: decided on arrival or the next working day, filed, and completed within the limit
    // counted from arrival (there is no acceptance to count from).
    const a = rnd.int(0, Math.min(1, limit));
    const returnDay = wd(R, a);
    const fileDay = wd(returnDay, rnd.int(0, Math.min(1, limit - a)));
    const actor = who(acceptPost.code, returnDay);
    refusal(returnDay, 'intake', actor, intakeRefusal(rnd));
    intakeActors.add(actor);
    fileUp(fileDay, actor, 'intake');
    completeAndAnnounce(fileDay, who(acceptPost.code, fileDay), 'returned');
    return finish();
  }

  // 一次性告知 and 补件; acceptance on the day the last material arrives.
  let A = wd(R, delay);
  if (supplement) {
    const codes = item.materials.map((m) => m.code);
    const many = fault !== 'second-notice' && codes.length > 2 && rnd.chance(0.3);
    const missing = rnd
      .shuffle(codes)
      .slice(0, many ? 2 : 1)
      .sort();
    const N = wd(R, rnd.int(0, fault === 'second-notice' ? 2 : 3));
    intake(N, 'notify_supplement', { missing });
    let last = N;
    let all = missing;
    if (fault === 'second-notice') {
      const more = codes.filter((c) => !missing.includes(c));
      const second = [rnd.pick(more)];
      last = wd(N, rnd.int(1, 2));
      const s = intake(last, 'notify_supplement', { missing: second });
      plant(s, `a second supplement notice on ${last} (first on ${N}) asked for ${second.join(', ')}`);
      all = [...missing, ...second].sort();
    }
    A = wd(last, rnd.int(1, 5));
    intake(A, 'supplement', { materials: all });
  }

  const tolerance = route === 'tolerance';
  let acceptData: Record<string, unknown> = {};
  let dueBy = '';
  let owed: string[] = [];
  let due = 0;
  if (tolerance) {
    owed = rnd.shuffle(secondary).slice(0, rnd.int(1, secondary.length)).sort();
    due = rnd.int(1, Math.max(1, limit));
    dueBy = wd(A, due);
    acceptData = { missing: owed, dueBy };
  }
  const acceptor = intake(A, 'accept', acceptData);

  // The decision day, as working days after acceptance.
  let e: number;
  let stopAt = -1;
  let stopDays = 0;
  let extendAt = -1;
  let extendDays = 0;
  if (fault === 'late-completion') e = limit + rnd.int(1, 3);
  else if (stop) {
    stopAt = rnd.int(0, Math.min(2, budget - 1));
    stopDays = rnd.int(2, 8);
    e = early(rnd, stopAt + stopDays, budget + stopDays - 1);
  } else if (extend) {
    extendAt = rnd.int(Math.max(0, budget - 3), budget - 1);
    extendDays = rnd.int(1, Math.min(10, item.statutoryDays - limit));
    e = rnd.int(budget + 1, budget + extendDays);
  } else e = early(rnd, 0, budget);
  const C = wd(A, e);

  if (tolerance) {
    // 容缺预审: the owed secondary materials come in within the commitment period, and before
    // completion (nothing is handled on a case after it is completed).
    if (fault === 'tolerance-unsupplied') {
      settle.push(dueBy);
      plant(acceptor, `accepted with ${owed.join(', ')} owed by ${dueBy}; never supplied`);
    } else intake(wd(A, rnd.int(0, Math.min(due, e))), 'supplement', { materials: owed });
  }

  const reviewDay = () => {
    if (stop) return rnd.int(stopAt + stopDays, e);
    if (extend) return rnd.int(0, extendAt);
    return rnd.int(0, e);
  };
  const v = item.kind === 'instant' ? -1 : reviewDay();
  const reviewer = v >= 0 ? who(reviewPost, wd(A, v)) : null;

  if (route === 'parallel') {
    // 并联审批: sent out on acceptance, opinions back before review.
    const departments = dispatchTo(rnd, item.business, item.department);
    // The section chief sends the case out (chief.yaml: parallel-dispatch).
    add(A, 'dispatch', who(ctx.posts.chief, A), { departments });
    const latest = stop ? stopAt : v;
    const refuser = outcome === 'decision' ? rnd.pick(departments) : null;
    for (const d of departments) {
      const day = wd(A, rnd.int(0, latest));
      add(day, 'opinion', who(reviewPost, day), {
        department: d,
        opinion: d === refuser ? 'refuse' : 'grant',
      });
    }
  }
  if (stop) {
    // 不计时 (Art. 45): expert review, the applicant told of it and of its length.
    const X = wd(A, stopAt);
    const reason = rnd.chance(0.8) ? 'expert_review' : 'inspection';
    add(X, 'clock_stop', who(reviewPost, X), { reason, applicantNotified: true });
    const Y = wd(X, stopDays);
    add(Y, 'clock_resume', who(reviewPost, Y), { reason, applicantNotified: true });
  }

  let reviewActor = reviewer;
  if (v >= 0) {
    const day = wd(A, v);
    let actor = reviewer!;
    if (fault === 'unauthorized-action' && rnd.chance(0.5)) {
      actor = outsider(ctx, item, day, [...intakeActors], rnd);
      plant(actor, `reviewed ${item.code} (${item.business}) on ${day} without holding its review post`);
      reviewActor = actor;
    }
    add(
      day,
      'review',
      actor,
      outcome === 'decision' ? { opinion: 'refuse', note: refusalNote(rnd) } : { opinion: 'grant' },
    );
  }
  if (extend) {
    // 延期 (Art. 42): granted by the organ's head before the original deadline, applicant told.
    const E = wd(A, extendAt);
    add(E, 'extend', who(approvePost, E), {
      days: extendDays,
      approvedBy: ctx.head,
      applicantNotified: true,
      reason: '需组织专家论证，经本机关负责人批准延长审批期限',
    });
  }

  if (outcome === 'decision') {
    // 不予许可: decided by the approval post, filed upward, completed within the limit.
    const rt = rnd.int(Math.max(v, 0), e);
    const returnDay = wd(A, rt);
    const approver = who(approvePost, returnDay);
    refusal(returnDay, 'decision', approver, decisionRefusal(rnd));
    const fileDay = rt < e && rnd.chance(0.5) ? wd(returnDay, 1) : returnDay;
    fileUp(fileDay, approver, 'decision');
    completeAndAnnounce(C, who(approvePost, C), 'returned');
    separate(acceptor, intakeActors, reviewActor, [approver]);
    return finish();
  }

  // 准予许可, 用章, 办结.
  let approver = who(approvePost, C);
  if (fault === 'unauthorized-action' && !planted) {
    approver = outsider(ctx, item, C, [...intakeActors, reviewActor ?? ''], rnd);
    plant(approver, `approved ${item.code} (${item.business}) on ${C} without holding its approval post`);
  }
  add(C, 'approve', approver);
  const sealer = sealActor(ctx, item, approvePost, C, who);
  add(C, 'seal', sealer, { seal: item.specialSeal ? 'special' : 'official' });
  const completer = who(approvePost, C);
  if (fault === 'late-completion')
    plant(
      completer,
      `completed ${e} working day${e === 1 ? '' : 's'} after acceptance on ${A}; the ${route} limit is ${limit}`,
    );
  completeAndAnnounce(C, completer, 'granted');
  if (channel === 'window' && rnd.chance(0.3)) {
    const day = wd(C, rnd.int(0, 2));
    intake(day, 'deliver');
  }
  separate(acceptor, intakeActors, reviewActor, [approver, completer]);
  return finish();

  /** Acceptance, review and approval by three different people (审批与监管分离). */
  function separate(acc: string, intakes: Set<string>, rev: string | null, deciders: string[]) {
    if (rev && (intakes.has(rev) || rev === acc)) throw retry;
    for (const d of deciders) if (intakes.has(d) || d === rev) throw retry;
  }

  function finish(): PlannedCase | null {
    steps.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    let open = false;
    const late = steps.findIndex((s) => s.date > ctx.to);
    if (late >= 0) {
      if (fault) return null;
      // Still open at `to`: keep what happened by then, but never a return or a completion
      // without what must follow it (filing, announcement), which `to` cut off.
      const closing = steps.findIndex((s) => s.action === 'return' || s.action === 'complete');
      steps.length = closing >= 0 ? Math.min(late, closing) : late;
      open = true;
    }
    if (fault && settle.some((d) => d > ctx.to)) return null;
    if (fault && !planted) throw new Error(`demo cases: fault ${fault} was drawn but not planted`);
    return { item, route, channel, applicant: applicantFor(rnd, item), project, steps, fault: planted, open };
  }
}

/** Who seals: the approval post may use the approval seal; the bureau seal is the chief's. */
function sealActor(
  ctx: PlanContext,
  item: DemoItem,
  approvePost: string,
  date: string,
  who: (post: string, date: string) => string,
): string {
  return item.specialSeal ? who(approvePost, date) : who(ctx.posts.chief, date);
}

/**
 * A window clerk with no claim to the action on the item that day: they hold (as A or B) no
 * review or approval post covering its business, nor the chief's, and took no part in the case
 * so far (so that only authority, not separation of duties, is at fault).
 */
function outsider(ctx: PlanContext, item: DemoItem, date: string, exclude: string[], rnd: Random): string {
  const covering = new Set(
    ctx.roster.posts
      .filter(
        (p) =>
          (p.kind === 'review' || p.kind === 'approve' || p.kind === 'chief') &&
          (p.kind === 'chief' || p.businesses.includes(item.business)),
      )
      .map((p) => p.code),
  );
  const candidates = ctx.roster.clerks.filter((s) => {
    if (exclude.includes(s) || s === ctx.head || ctx.roster.isAbsent(s, date)) return false;
    const held = ctx.roster.postsHeldBy(s, date);
    // A real clerk (holding some post), but none that could justify the action.
    return held.length > 0 && !held.some((p) => covering.has(p));
  });
  if (candidates.length === 0) throw retry;
  return rnd.pick(candidates);
}

function applicantFor(rnd: Random, item: DemoItem): Applicant {
  const person =
    item.business === 'post-certificate'
      ? rnd.chance(0.85)
      : /人员/.test(item.name)
        ? rnd.chance(0.9)
        : false;
  return person ? personApplicant(rnd) : orgApplicant(rnd, item.business);
}
