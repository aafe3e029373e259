/**
 * The demo case generator: deterministic, valid against the contract, clean cases pass every
 * verification check of DESIGN.md and each planted fault fails exactly its own check. The
 * checks here are written afresh from DESIGN.md and the contract (and authority is asked of the
 * real authority engine with the shipped policies), not taken from the generator.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthorityEngine,
  authorityPolicyDir,
  readPolicyDir,
  snapshotFromOrgDocument,
} from '../../src/authority/index.ts';
import { getCalendar, type WorkingCalendar } from '../../src/calendar/index.ts';
import { parseContractLine } from '../../src/cases/index.ts';
import {
  type CaseLine,
  type DemoCaseOptions,
  faultChecks,
  generateCaseLines,
  generateDemoCases,
  loadDemoCases,
  type PlantedFault,
  plantedFaults,
} from '../../src/demo/cases.ts';
import { loadDemo } from '../../src/demo/index.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { testDeps } from '../helpers.ts';

type Ev = Extract<CaseLine, { type: 'event' }>;
type Head = Extract<CaseLine, { type: 'case' }>;
interface Case {
  head: Head;
  events: Ev[];
}

const calendar = getCalendar();
const FROM = '2026-01-01';
const TO = '2026-12-31';

/** Groups the lines into cases (checking the case line comes first and seq runs 1..n). */
function* casesOf(lines: Iterable<CaseLine>): Generator<Case> {
  let cur: Case | null = null;
  for (const l of lines) {
    if (l.type === 'case') {
      if (cur) yield cur;
      cur = { head: l, events: [] };
    } else {
      if (!cur || cur.head.caseNo !== l.caseNo)
        throw new Error(`event ${l.caseNo}/${l.seq} outside its case`);
      if (l.seq !== cur.events.length + 1)
        throw new Error(`${l.caseNo}: seq ${l.seq} after ${cur.events.length}`);
      cur.events.push(l);
    }
  }
  if (cur) yield cur;
}

// ---- an independent verifier, after DESIGN.md "Default rules" ----

const dateOf = (at: string) => at.slice(0, 10);
const count = (cal: WorkingCalendar, a: string, b: string) => cal.countWorkingDays(a, b).days;

interface Org {
  items: Map<string, NonNullable<ReturnType<typeof demoOrg>['items']>[number]>;
  head: string;
  holders: (post: string, date: string) => string[];
}

function orgFacts(org: ReturnType<typeof demoOrg>): Org {
  return {
    items: new Map(org.items!.map((i) => [i.code, i])),
    head: org.bureau!.head!,
    holders: (post, date) =>
      org
        .assignments!.filter((a) => a.post === post && a.from <= date && (a.to == null || date <= a.to))
        .map((a) => a.staff),
  };
}

/** Office hours on a working day, Beijing time: 08:30-12:00 or 14:30-17:30. */
function inOfficeHours(at: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})\+08:00$/.exec(at);
  if (!m || !calendar.isWorkingDay(m[1])) return false;
  const s = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return (s >= 30600 && s <= 43200) || (s >= 52200 && s <= 63000);
}

/** The checks a completed case fails (empty for a clean one). */
function failedChecks(c: Case, org: Org, engine: AuthorityEngine): Set<string> {
  const failed = new Set<string>();
  const { head, events } = c;
  const item = org.items.get(head.itemCode)!;
  const of = (action: string) => events.filter((e) => e.action === action);
  const receivedOn = dateOf(head.receivedAt);
  const complete = of('complete')[0];
  const doneOn = dateOf(complete.at);

  // timely: working days from acceptance (Art. 32: from receipt without a timely notice),
  // less stopped days, within the committed (fast-track) limit plus approved extensions; and
  // within the statutory limit.
  const notices = of('notify_supplement');
  const accept = of('accept')[0];
  const noticeBy = calendar.addWorkingDays(receivedOn, 5).date;
  const timelyNotice = notices.length > 0 && dateOf(notices[0].at) <= noticeBy;
  const startOn = accept && (timelyNotice || dateOf(accept.at) <= noticeBy) ? dateOf(accept.at) : receivedOn;
  let stopped = 0;
  const stops = of('clock_stop');
  const resumes = of('clock_resume');
  stops.forEach((s, i) => {
    stopped += count(calendar, dateOf(s.at), dateOf(resumes[i].at));
  });
  const extension = of('extend')
    .filter((e) => e.data.approvedBy)
    .reduce((n, e) => n + Number(e.data.days), 0);
  const limit =
    item.kind === 'instant' ? 0 : head.route === 'fast_track' ? item.fastTrackDays! : item.committedDays;
  const used = count(calendar, startOn, doneOn) - stopped;
  if (used > limit + extension || used > Math.max(item.statutoryDays, limit)) failed.add('timely');

  // one-notice: at most one, within 5 working days of receipt, naming all later supplied.
  const owedAtAccept: string[] = (accept?.data.missing as string[]) ?? [];
  const named = new Set([...notices.flatMap((n) => n.data.missing as string[]), ...owedAtAccept]);
  const supplied = of('supplement').flatMap((s) => s.data.materials as string[]);
  if (
    notices.length > 1 ||
    notices.some((n) => dateOf(n.at) > noticeBy) ||
    supplied.some((m) => !named.has(m))
  )
    failed.add('one-notice');

  // receipt: on the day the materials arrived.
  if (!of('receipt').some((r) => dateOf(r.at) === receivedOn)) failed.add('receipt');

  // refusal-filed
  for (const r of of('return')) {
    const d = r.data as Record<string, any>;
    const filed = of('file_rejection').find(
      (f) =>
        f.seq > r.seq &&
        count(calendar, dateOf(r.at), dateOf(f.at)) <= 1 &&
        org.holders('P-CHIEF', dateOf(f.at)).includes(f.data.filedTo as string),
    );
    if (
      !d.reasons?.length ||
      !d.legalBasis ||
      !d.remedies?.length ||
      (d.stage === 'decision' && d.appealRightsNotified !== true) ||
      !filed
    )
      failed.add('refusal-filed');
  }

  // announced: within 1 working day of completion.
  if (!of('announce').some((a) => a.seq > complete.seq && count(calendar, doneOn, dateOf(a.at)) <= 1))
    failed.add('announced');

  // authorized: the authority engine with the shipped policies, every event in its case context.
  const history: { seq: number; action: string; actor: string; at: string }[] = [];
  for (const e of events) {
    const d = engine.decide({
      staff: e.actor,
      action: e.action,
      item: head.itemCode,
      at: new Date(e.at),
      case: {
        caseNo: head.caseNo,
        route: head.route,
        channel: head.channel,
        project: head.project,
        seal: e.data.seal as 'special' | 'official' | undefined,
        history: history.slice(),
      },
    });
    if (!d.allowed) failed.add(d.conflict ? 'separation' : 'authorized');
    history.push({ seq: e.seq, action: e.action, actor: e.actor, at: e.at });
  }

  // separation, spelled out too: acceptor does not approve a committed or joint item; reviewers
  // neither took in the case nor approve it.
  const actors = (action: string) => new Set(of(action).map((e) => e.actor));
  const intake = new Set([
    ...actors('receipt'),
    ...actors('notify_supplement'),
    ...actors('supplement'),
    ...actors('accept'),
  ]);
  const approvers = actors('approve');
  if (item.kind !== 'instant' && [...actors('accept')].some((a) => approvers.has(a)))
    failed.add('separation');
  if ([...actors('review')].some((r) => intake.has(r) || approvers.has(r))) failed.add('separation');

  // seal: the approval seal only where the item allows it.
  if (of('seal').some((s) => s.data.seal === 'special' && !item.specialSeal)) failed.add('seal');

  // tolerance: key projects only; only secondary materials owed; all supplied by dueBy.
  if (head.route === 'tolerance') {
    const secondary = new Set(item.materials!.filter((m) => m.primary === false).map((m) => m.code));
    const dueBy = accept?.data.dueBy as string | undefined;
    const byDue = new Set(
      of('supplement')
        .filter((s) => dueBy && dateOf(s.at) <= dueBy)
        .flatMap((s) => s.data.materials as string[]),
    );
    if (
      head.project?.key !== true ||
      !owedAtAccept.length ||
      owedAtAccept.some((m) => !secondary.has(m) || !byDue.has(m)) ||
      !dueBy ||
      count(calendar, dateOf(accept.at), dueBy) > item.committedDays
    )
      failed.add('tolerance');
  }

  // green-channel: key projects only.
  if (head.route === 'green_channel' && head.project?.key !== true) failed.add('green-channel');

  // extension: at most 10 working days, approved by the head, applicant told.
  for (const x of of('extend')) {
    const d = x.data as Record<string, any>;
    if (!(d.days <= 10) || d.approvedBy !== org.head || d.applicantNotified !== true) failed.add('extension');
  }
  return failed;
}

// ---- the tests ----

const org = demoOrg(1);
const facts = orgFacts(org);
const engine = new AuthorityEngine(
  snapshotFromOrgDocument(org, { policies: [readPolicyDir(authorityPolicyDir)] }),
);
const opts = (over: Partial<DemoCaseOptions> = {}): DemoCaseOptions => ({
  seed: 1,
  cases: 4000,
  from: FROM,
  to: TO,
  org,
  calendar,
  faultRate: 0.03,
  ...over,
});

describe('demo cases', () => {
  let cases: Case[];
  let faults: PlantedFault[];
  beforeAll(() => {
    const g = generateDemoCases(opts());
    cases = [...casesOf(g.lines)];
    faults = g.faults;
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const digest = (o: DemoCaseOptions) => {
      const h = createHash('sha256');
      for (const l of generateCaseLines(o)) h.update(JSON.stringify(l));
      return h.digest('hex');
    };
    expect(digest(opts({ cases: 500 }))).toBe(digest(opts({ cases: 500 })));
    expect(digest(opts({ cases: 500 }))).not.toBe(digest(opts({ cases: 500, seed: 2 })));
    // The fault list is the same in a second pass.
    expect(plantedFaults(opts({ cases: 500 }))).toEqual(plantedFaults(opts({ cases: 500 })));
    const again = generateDemoCases(opts());
    for (const _ of again.lines);
    expect(again.faults).toEqual(faults);
  });

  it('writes every line valid against the case-events contract', () => {
    let n = 0;
    for (const c of cases) {
      for (const line of [c.head, ...c.events]) {
        const parsed = parseContractLine(JSON.parse(JSON.stringify(line)));
        if (!parsed.ok) throw new Error(`${c.head.caseNo}: ${parsed.message}`);
        n++;
      }
    }
    expect(cases).toHaveLength(4000);
    expect(n).toBeGreaterThan(4000 * 5);
    expect(new Set(cases.map((c) => c.head.caseNo)).size).toBe(4000);
    expect(cases[0].head.caseNo).toBe('QZJS-2026-000001');
  });

  it('keeps every time on a working day in office hours, in order, from the arrival on', () => {
    let prevArrival = '';
    for (const { head, events } of cases) {
      expect(inOfficeHours(head.receivedAt), head.receivedAt).toBe(true);
      expect(head.receivedAt >= prevArrival).toBe(true); // case numbers follow arrival
      prevArrival = head.receivedAt;
      expect(dateOf(head.receivedAt) >= FROM && dateOf(head.receivedAt) <= TO).toBe(true);
      let prev = head.receivedAt;
      for (const e of events) {
        expect(inOfficeHours(e.at), `${head.caseNo} ${e.action} ${e.at}`).toBe(true);
        expect(e.at >= prev, `${head.caseNo} seq ${e.seq}`).toBe(true);
        expect(dateOf(e.at) <= TO).toBe(true);
        prev = e.at;
      }
    }
  });

  it('plants each fault so that exactly its own check fails, and leaves every other completed case clean', () => {
    const byCase = new Map(faults.map((f) => [f.caseNo, f]));
    expect(byCase.size).toBe(faults.length); // at most one fault a case
    let clean = 0;
    for (const c of cases) {
      const fault = byCase.get(c.head.caseNo);
      if (!c.events.some((e) => e.action === 'complete')) {
        expect(fault, `open case ${c.head.caseNo} carries a fault`).toBeUndefined();
        continue;
      }
      const failed = [...failedChecks(c, facts, engine)];
      if (fault) expect(failed, `${c.head.caseNo} (${fault.kind})`).toEqual([fault.check]);
      else {
        expect(failed, c.head.caseNo).toEqual([]);
        clean++;
      }
    }
    expect(clean).toBeGreaterThan(3000);
    for (const kind of Object.keys(faultChecks))
      expect(
        faults.some((f) => f.kind === kind),
        kind,
      ).toBe(true);
  });

  it('records faults that match the lines, naming the staff responsible', () => {
    const byNo = new Map(cases.map((c) => [c.head.caseNo, c]));
    const staff = new Set(org.staff!.map((s) => s.no));
    for (const f of faults) {
      const c = byNo.get(f.caseNo)!;
      const of = (a: string) => c.events.filter((e) => e.action === a);
      expect(staff.has(f.staff), f.staff).toBe(true);
      expect(f.check).toBe(faultChecks[f.kind]);
      expect(f.detail.length).toBeGreaterThan(10);
      switch (f.kind) {
        case 'missing-receipt':
          expect(of('receipt')).toHaveLength(0);
          break;
        case 'missing-announcement':
          expect(of('announce')).toHaveLength(0);
          expect(of('complete')).toHaveLength(1);
          break;
        case 'second-notice':
          expect(of('notify_supplement')).toHaveLength(2);
          expect(of('notify_supplement')[1].actor).toBe(f.staff);
          break;
        case 'unfiled-refusal':
          expect(of('return')).toHaveLength(1);
          expect(of('return')[0].actor).toBe(f.staff);
          expect(of('file_rejection')).toHaveLength(0);
          break;
        case 'tolerance-unsupplied':
          expect(c.head.route).toBe('tolerance');
          expect(of('supplement')).toHaveLength(0);
          break;
        case 'unauthorized-action': {
          const acts = c.events.filter(
            (e) => e.actor === f.staff && (e.action === 'review' || e.action === 'approve'),
          );
          expect(acts).toHaveLength(1);
          const d = engine.decide({
            staff: f.staff,
            action: acts[0].action,
            item: c.head.itemCode,
            at: new Date(acts[0].at),
          });
          expect(d.allowed).toBe(false);
          break;
        }
        case 'late-completion': {
          const done = of('complete')[0];
          expect(done.actor).toBe(f.staff);
          break;
        }
      }
    }
  });

  it('covers every route and channel, with key projects on the green channel and tolerance', () => {
    const routes = new Map<string, number>();
    for (const { head } of cases) routes.set(head.route, (routes.get(head.route) ?? 0) + 1);
    expect([...routes.keys()].sort()).toEqual([
      'fast_track',
      'green_channel',
      'normal',
      'parallel',
      'tolerance',
    ]);
    expect(new Set(cases.map((c) => c.head.channel))).toEqual(new Set(['online', 'window']));
    for (const { head } of cases) {
      const item = facts.items.get(head.itemCode)!;
      if (head.channel === 'online') expect(item.online).toBe(true);
      if (head.route === 'green_channel' || head.route === 'tolerance') expect(head.project?.key).toBe(true);
      if (head.route === 'parallel') expect(item.kind).toBe('joint');
    }
    const actions = new Set(cases.flatMap((c) => c.events.map((e) => e.action)));
    for (const a of [
      'dispatch',
      'opinion',
      'clock_stop',
      'clock_resume',
      'extend',
      'return',
      'file_rejection',
      'deliver',
    ])
      expect(actions.has(a as never), a).toBe(true);
    // Instant items: accepted, approved and completed the same day (unless planted late).
    const late = new Set(faults.filter((f) => f.kind === 'late-completion').map((f) => f.caseNo));
    for (const c of cases) {
      if (facts.items.get(c.head.itemCode)!.kind !== 'instant' || late.has(c.head.caseNo)) continue;
      const days = new Set(
        c.events.filter((e) => ['accept', 'approve', 'complete'].includes(e.action)).map((e) => dateOf(e.at)),
      );
      expect(days.size).toBeLessThanOrEqual(1);
    }
  });

  it('names applicants plausibly: companies with valid credit codes, people with valid ID numbers', () => {
    const uscc = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    const idw = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let people = 0;
    for (const { head } of cases) {
      const { kind, name, id } = head.applicant;
      if (kind === 'org') {
        expect(name).toMatch(/^(泉州市|[^市]+[县市]).+(公司|院)$/);
        expect(id).toMatch(/^9135\d{4}[0-9A-HJ-NP-RTUW-Y]{10}$/);
        const sum = [...id.slice(0, 17)].reduce((s, ch, i) => s + uscc.indexOf(ch) * w[i], 0);
        expect(uscc[(31 - (sum % 31)) % 31]).toBe(id[17]);
      } else {
        people++;
        expect(name).toMatch(/^\p{Script=Han}{2,3}$/u);
        expect(id).toMatch(/^3505\d{13}[\dX]$/);
        const sum = [...id.slice(0, 17)].reduce((s, ch, i) => s + Number(ch) * idw[i], 0);
        expect('10X98765432'[sum % 11]).toBe(id[17]);
      }
    }
    expect(people).toBeGreaterThan(100);
  });

  it('leaves only cases near the end of the range open, with no half-finished refusal or completion', () => {
    const lastDays = calendar.addWorkingDays(TO, -60).date;
    const open = cases.filter((c) => !c.events.some((e) => e.action === 'complete'));
    expect(open.length).toBeGreaterThan(0);
    for (const c of open) {
      expect(dateOf(c.head.receivedAt) >= lastDays, c.head.caseNo).toBe(true);
      expect(c.events.some((e) => e.action === 'return' || e.action === 'announce')).toBe(false);
    }
  });

  it('plants faults at the configured rate, and none at rate 0', () => {
    const completed = cases.filter((c) => c.events.some((e) => e.action === 'complete')).length;
    const n = (kind: string) => faults.filter((f) => f.kind === kind).length;
    // Nearly every completed case could have lacked a receipt or an announcement.
    for (const kind of ['missing-receipt', 'missing-announcement']) {
      expect(n(kind) / completed).toBeGreaterThan(0.03 * 0.6);
      expect(n(kind) / completed).toBeLessThan(0.03 * 1.4);
    }
    const returns = cases.filter((c) => c.events.some((e) => e.action === 'return')).length;
    expect(n('unfiled-refusal') / returns).toBeLessThan(0.03 * 3);
    expect(plantedFaults(opts({ cases: 1000, faultRate: 0 }))).toEqual([]);
    const few = plantedFaults(opts({ cases: 3000, faultRate: undefined })).length / 3000;
    expect(few).toBeGreaterThan(0.02 * 2);
    expect(few).toBeLessThan(0.02 * 7);
  });

  it('streams 100,000 cases without holding them', () => {
    // Collect first (vitest runs with --expose-gc): what is left is what the generator retains.
    const heap = () => {
      (globalThis as { gc?: () => void }).gc?.();
      return process.memoryUsage().heapUsed;
    };
    let lines = 0;
    let at10k = 0;
    let peak = 0;
    let cases = 0;
    for (const l of generateCaseLines(opts({ cases: 100_000, faultRate: 0.02 }))) {
      lines++;
      if (l.type === 'case' && ++cases === 10_000) at10k = heap();
      if (cases > 10_000 && lines % 200_000 === 0) peak = Math.max(peak, heap());
    }
    expect(cases).toBe(100_000);
    expect(lines).toBeGreaterThan(700_000);
    // 90,000 retained cases would be well over 100 MB; after collection growth stays small.
    expect(peak - at10k).toBeLessThan(40 * 1024 * 1024);
  });
});

describe('loadDemoCases', () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  beforeAll(async () => {
    deps = await testDeps();
    await loadDemo(deps.db, { seed: 1, today: '2026-01-02' });
  });
  afterAll(() => deps?.close());

  it('streams the cases into the ledger, whose authority denies exactly the planted unauthorized actions', async () => {
    const o = {
      seed: 1,
      cases: 400,
      from: FROM,
      to: TO,
      faultRate: 0.1,
      now: new Date('2027-01-15T09:00:00+08:00'),
    };
    const { result, faults } = await loadDemoCases(deps.database, o);
    const lines = [...generateCaseLines({ ...o, org, calendar })];
    expect(result.cases).toEqual({ new: 400, unchanged: 0 });
    expect(result.events).toEqual({ new: lines.length - 400, unchanged: 0 });
    const kinds = (k: string) => faults.filter((f) => f.kind === k).length;
    expect(kinds('unauthorized-action')).toBeGreaterThan(0);
    expect(result.denied).toBe(kinds('unauthorized-action'));
    // The only events out of the expected order are the planted second notices.
    expect(result.anomalous).toBe(kinds('second-notice'));
    // The same cases again store nothing new.
    const again = await loadDemoCases(deps.database, o);
    expect(again.result.cases).toEqual({ new: 0, unchanged: 400 });
    expect(again.faults).toEqual(faults);
  });
});
