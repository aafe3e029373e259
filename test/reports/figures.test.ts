/**
 * Every figure of the four reports against values worked out by hand on the fixture
 * (test/reports/fixture.ts: nine cases, their dates and days in its table).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCalendar } from '../../src/calendar/index.ts';
import { ingestCaseRecords } from '../../src/cases/index.ts';
import {
  computeNumbers,
  type DailyNumbers,
  type MonthlyNumbers,
  parsePeriod,
  type QuarterlyNumbers,
  type WeeklyNumbers,
} from '../../src/reports/index.ts';
import { getRun, runVerification } from '../../src/verification/index.ts';
import { ledgerApp } from '../cases/support.ts';
import { fixtureLines, INGESTED_AT, SECOND_CLERK } from './fixture.ts';

const TZ = 'Asia/Shanghai';
let t: Awaited<ReturnType<typeof ledgerApp>>;

beforeAll(async () => {
  t = await ledgerApp();
  const r = await ingestCaseRecords(t.db, fixtureLines(), {
    actor: 'test',
    source: 'test',
    timeZone: TZ,
    now: INGESTED_AT,
  });
  expect(r.cases.new).toBe(9);
}, 120_000);
afterAll(() => t?.close());

const numbers = async <T>(kind: 'daily' | 'weekly' | 'monthly' | 'quarterly', key: string) =>
  (await computeNumbers({ db: t.db, timeZone: TZ, calendar: getCalendar() }, parsePeriod(kind, key))) as T;

describe('daily bulletin', () => {
  it('Monday 2 March: three received (one online), three accepted, all open and green', async () => {
    const n = await numbers<DailyNumbers>('daily', '2026-03-02');
    expect(n.workingDay).toBe(true);
    expect(n.flow).toEqual({
      received: 3,
      receivedOnline: 1,
      accepted: 3,
      completed: 0,
      completedReturned: 0,
      returned: 0,
      supplementNotices: 0,
    });
    expect(n.open.total).toEqual({ open: 3, green: 3, yellow: 0, red: 0 });
    expect(n.open.byClerk).toEqual({
      S026: { open: 2, green: 2, yellow: 0, red: 0 },
      [SECOND_CLERK]: { open: 1, green: 1, yellow: 0, red: 0 },
    });
    expect(n.redCards).toMatchObject({ raised: 0, open: 0, list: [] });
    expect(n.outsideAuthority).toEqual({ events: 0, list: [] });
    expect(Object.keys(n.staff).sort()).toEqual([SECOND_CLERK, 'S026'].sort());
  });

  it('Wednesday 4 March: the supplement notice, and the instant item accepted and completed', async () => {
    const n = await numbers<DailyNumbers>('daily', '2026-03-04');
    expect(n.flow).toEqual({
      received: 2, // D and E
      receivedOnline: 1,
      accepted: 1,
      completed: 2,
      completedReturned: 0,
      returned: 0,
      supplementNotices: 1,
    });
  });

  it('Thursday 5 March: a return at intake, completions, and lights at the end of the day', async () => {
    const n = await numbers<DailyNumbers>('daily', '2026-03-05');
    expect(n.flow).toEqual({
      received: 2,
      receivedOnline: 0,
      accepted: 1,
      completed: 2,
      completedReturned: 1,
      returned: 1,
      supplementNotices: 0,
    });
    // Open: C (due 3-06, yellow from 3-05), E (no deadline), F (due 3-10), I (due 3-05, yellow).
    expect(n.open.total).toEqual({ open: 4, green: 2, yellow: 2, red: 0 });
    expect(Object.keys(n.open.byClerk)).toEqual(['S026']);
  });

  it('Friday 6 March: the approval outside authority, and the first red light', async () => {
    const n = await numbers<DailyNumbers>('daily', '2026-03-06');
    expect(n.flow).toMatchObject({ received: 1, accepted: 1, completed: 1 });
    expect(n.open.total).toEqual({ open: 4, green: 2, yellow: 1, red: 1 });
    expect(n.outsideAuthority.events).toBe(1);
    expect(n.outsideAuthority.list).toHaveLength(1);
    expect(n.outsideAuthority.list[0]).toMatchObject({
      caseNo: 'RPT-H',
      seq: 3,
      action: 'approve',
      actor: 'S026',
      at: '2026-03-06 10:00',
    });
    expect(n.outsideAuthority.list[0].reasons.join(' ')).toMatch(/受理与审批分离/);
  });

  it('Tuesday 10 March: the red card raised that day, still unresolved', async () => {
    const n = await numbers<DailyNumbers>('daily', '2026-03-10');
    expect(n.flow).toMatchObject({ received: 0, accepted: 0, completed: 1 });
    expect(n.redCards.raised).toBe(1);
    expect(n.redCards.open).toBe(1);
    expect(n.redCards.list).toEqual([
      {
        caseNo: 'RPT-I',
        staffNo: 'S026',
        committedDue: '2026-03-05',
        raisedOn: '2026-03-10',
        resolution: null,
      },
    ]);
    expect(n.open.total).toEqual({ open: 3, green: 1, yellow: 1, red: 1 });
    // Friday 13th: F's card too (due 3-10, red card three working days on).
    const fri = await numbers<DailyNumbers>('daily', '2026-03-13');
    expect(fri.redCards).toMatchObject({ raised: 1, open: 2 });
  });

  it('a Saturday is not a working day', async () => {
    expect((await numbers<DailyNumbers>('daily', '2026-03-07')).workingDay).toBe(false);
  });
});

describe('weekly report, 2026-W10 (2-8 March)', () => {
  let n: WeeklyNumbers;
  beforeAll(async () => {
    n = await numbers<WeeklyNumbers>('weekly', '2026-W10');
  });

  it('on-time and early rates with their denominators', () => {
    expect(n.received).toEqual({ received: 9, online: 2 });
    expect(n.outcomes).toEqual({
      completed: 5, // A B D G H
      returned: 1, // G
      onTime: { num: 4, den: 4 }, // A B D H (G had no deadline)
      early: { num: 2, den: 3 }, // A H of the committed items A B H (D is instant)
      withinStatutory: { num: 4, den: 4 },
      withoutDeadline: 1,
      daysUsed: { num: 5, den: 4 }, // 2 + 3 + 0 + 0
      committedDays: { num: 9, den: 4 }, // 3 + 3 + 0 + 3
      statutoryDays: { num: 60, den: 4 },
    });
  });

  it('working days used per item, against the catalogue limits', () => {
    expect(Object.keys(n.perItem)).toEqual(['SG-001', 'SG-003']);
    expect(n.perItem['SG-001']).toMatchObject({
      name: '建筑工程施工许可证核发',
      statutoryDays: 15,
      committedDays: 3,
      outcomes: {
        completed: 4,
        onTime: { num: 3, den: 3 },
        early: { num: 2, den: 3 },
        daysUsed: { num: 5, den: 3 },
      },
    });
    expect(n.perItem['SG-003']).toMatchObject({
      statutoryDays: 15,
      committedDays: 0,
      outcomes: {
        completed: 1,
        onTime: { num: 1, den: 1 },
        early: { num: 0, den: 0 },
        daysUsed: { num: 0, den: 1 },
      },
    });
  });

  it('the latest completed cases, newest first', () => {
    expect(n.latest.map((l) => l.caseNo)).toEqual(['RPT-H', 'RPT-B', 'RPT-G', 'RPT-A', 'RPT-D']);
    expect(n.latest[0]).toMatchObject({
      item: 'SG-001',
      clerk: 'S026',
      completedOn: '2026-03-06',
      daysUsed: 0,
      committedDays: 3,
    });
  });

  it("each clerk's load, with lights on Sunday 8 March", () => {
    expect(n.clerks).toEqual({
      S026: {
        received: 8,
        completed: 4,
        returned: 1,
        open: 4, // C E F I
        green: 2, // E F
        yellow: 0,
        red: 2, // C (red from 3-07), I (red from 3-06)
        daysUsed: { num: 2, den: 3 }, // A 2, D 0, H 0 (G has no count)
      },
      [SECOND_CLERK]: {
        received: 1,
        completed: 1,
        returned: 0,
        open: 0,
        green: 0,
        yellow: 0,
        red: 0,
        daysUsed: { num: 3, den: 1 },
      },
    });
  });
});

describe('monthly analysis, March 2026', () => {
  let n: MonthlyNumbers;
  beforeAll(async () => {
    n = await numbers<MonthlyNumbers>('monthly', '2026-03');
  });

  it('twelve months, April 2025 to March 2026, all empty but March', () => {
    expect(n.months).toHaveLength(12);
    expect(n.months[0]).toBe('2025-04');
    expect(n.months[11]).toBe('2026-03');
    for (const m of n.months.slice(0, 11))
      expect(n.trend[m]).toMatchObject({ received: 0, online: 0, completed: 0 });
    expect(n.trend['2026-03']).toEqual({
      received: 9,
      online: 2,
      completed: 6, // A B C D G H
      onTime: { num: 4, den: 5 }, // C was late
      early: { num: 2, den: 4 }, // A H of A B C H
      daysUsed: { num: 10, den: 5 }, // 2 + 3 + 5 + 0 + 0
    });
  });

  it("the month's own figures, the same cases as its line of the trend", () => {
    expect(n.received).toEqual({ received: 9, online: 2 });
    expect(n.outcomes).toEqual({
      completed: 6,
      returned: 1,
      onTime: { num: 4, den: 5 },
      early: { num: 2, den: 4 },
      withinStatutory: { num: 5, den: 5 },
      withoutDeadline: 1,
      daysUsed: { num: 10, den: 5 },
      committedDays: { num: 12, den: 5 },
      statutoryDays: { num: 75, den: 5 },
    });
  });

  it('per item: committed against statutory limit and the days actually used', () => {
    expect(n.perItem['SG-001']).toMatchObject({
      statutoryDays: 15,
      committedDays: 3,
      outcomes: {
        completed: 5,
        onTime: { num: 3, den: 4 },
        early: { num: 2, den: 4 },
        daysUsed: { num: 10, den: 4 },
      },
    });
    expect(n.perItem['SG-003'].outcomes.completed).toBe(1);
  });

  it("the catalogue's figures reproduce the source's totals, each with its denominator", () => {
    const c = n.catalogue;
    expect(c.items).toBe(54);
    expect(c.atWindow).toBe(46);
    expect(c.onlineAtWindow).toBe(36);
    expect(c.onlineShare).toEqual({ num: 36, den: 46 });
    expect(c.withStatutory).toBe(49);
    expect(c.reduction).toEqual({ num: 935, den: 49 });
    expect(c.reductionPerItem).toEqual({ num: 935, den: 54 });
    expect(c.perItem['SG-001']).toMatchObject({ statutoryDays: 15, committedDays: 3, reduction: 12 });
  });

  it('modules without data say so; misconduct and rotation report zero for an empty month', () => {
    expect(n.verification.available).toBe(false);
    expect(n.misconduct).toEqual({
      available: true,
      data: { received: 0, bySource: {}, byKind: {}, complaints: 0, handled: 0, decisions: 0, byLevel: {} },
    });
    expect(n.rotation).toEqual({ available: true, data: { plans: 0, moves: 0, required: 0, staff: 0 } });
  });
});

describe('verification failures by check', () => {
  it('come from the latest finished run of exactly the month, as that run counted them', async () => {
    const week = await runVerification(t.db, {
      from: '2026-03-02',
      to: '2026-03-08',
      actor: 'test',
      timeZone: TZ,
    });
    expect(week.status.status).toBe('done');
    // A run of another span does not count for March.
    expect((await numbers<MonthlyNumbers>('monthly', '2026-03')).verification).toEqual({
      available: false,
      reason: 'verification-run',
    });
    const { run } = await runVerification(t.db, {
      from: '2026-03-01',
      to: '2026-03-31',
      actor: 'test',
      timeZone: TZ,
    });
    const view = (await getRun(t.db, run.id))!;
    const n = await numbers<MonthlyNumbers>('monthly', '2026-03');
    expect(n.verification.available).toBe(true);
    if (!n.verification.available) return;
    const v = n.verification.data;
    expect(v).toMatchObject({
      runId: run.id,
      cases: view.status.cases,
      failures: view.status.failures,
      failedCases: view.status.failedCases,
    });
    expect(Object.keys(v.byCheck).sort()).toEqual(Object.keys(view.status.summary).sort());
    for (const [check, c] of Object.entries(view.status.summary)) expect(v.byCheck[check]).toBe(c.fail);
    expect(Object.values(v.byCheck).reduce((a, b) => a + b, 0)).toBe(v.failures);
    // C completed late, and H was approved by its accepting clerk.
    expect(v.byCheck.timely).toBeGreaterThanOrEqual(1);
    expect(v.byCheck.authorized + v.byCheck.separation).toBeGreaterThanOrEqual(1);
  }, 120_000);
});

describe('quarterly publication, 2026-Q1', () => {
  it('the public figures: rates, online share, catalogue, complaints, rotation', async () => {
    const n = await numbers<QuarterlyNumbers>('quarterly', '2026-Q1');
    expect(n).toMatchObject({
      received: 9,
      onlineCases: { num: 2, den: 9 },
      completed: 6,
      onTime: { num: 4, den: 5 },
      early: { num: 2, den: 4 },
      withinStatutory: { num: 5, den: 5 },
      catalogue: {
        items: 54,
        atWindow: 46,
        onlineShare: { num: 36, den: 46 },
        withStatutory: 49,
        reduction: { num: 935, den: 49 },
        reductionPerItem: { num: 935, den: 54 },
      },
    });
    expect(Object.keys(n.months)).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(n.months['2026-03']).toEqual({
      received: 9,
      completed: 6,
      onTime: { num: 4, den: 5 },
      early: { num: 2, den: 4 },
    });
    expect(n.months['2026-01']).toEqual({
      received: 0,
      completed: 0,
      onTime: { num: 0, den: 0 },
      early: { num: 0, den: 0 },
    });
  });
});
