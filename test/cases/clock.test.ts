/**
 * The working-day clock, rule by rule (no database): Art. 32 deemed acceptance, clock stops
 * (Art. 45), extensions (Art. 42), fast track, instant items, holidays, lights at a given day,
 * red-card days, states, parallel opinions.
 *
 * March 2026 calendar: Mon 2 .. Fri 6, Mon 9 .. Fri 13, Mon 16 .. Fri 20, Mon 23 .. (no holidays).
 */
import { describe, expect, it } from 'vitest';
import { getCalendar } from '../../src/calendar/index.ts';
import { type ClockEvent, type ClockItem, computeCaseClock, lightOn } from '../../src/cases/clock.ts';
import { defaultCasePolicy } from '../../src/cases/policy.ts';

const TZ = 'Asia/Shanghai';
const SG001: ClockItem = { kind: 'committed', statutoryDays: 15, committedDays: 3, fastTrackDays: 1 };
const INSTANT: ClockItem = { kind: 'instant', statutoryDays: 20, committedDays: 0, fastTrackDays: null };

type Step = [string, string, Record<string, unknown>?];

function at(s: string): Date {
  return new Date(s.includes('T') ? s : `${s}T10:00:00+08:00`);
}

function clock(
  steps: Step[],
  opts: {
    asOf?: string;
    item?: ClockItem;
    route?: string;
    received?: string;
    policy?: typeof defaultCasePolicy;
  } = {},
) {
  const events: ClockEvent[] = steps.map(([when, action, data], i) => ({
    seq: i + 1,
    at: at(when),
    action,
    actor: action === 'approve' ? 'S010' : 'S026',
    data: data ?? (action === 'complete' ? { result: 'granted' } : {}),
  }));
  return computeCaseClock(
    {
      caseNo: 'C',
      route: opts.route ?? 'normal',
      receivedAt: at(opts.received ?? '2026-03-02T09:15:00+08:00'),
    },
    events,
    opts.item ?? SG001,
    getCalendar(),
    {
      timeZone: TZ,
      asOf: at(`${opts.asOf ?? '2026-03-20'}T12:00:00+08:00`),
      policy: opts.policy ?? defaultCasePolicy,
    },
  );
}

describe('acceptance and Art. 32', () => {
  it('counts the committed and statutory limits from an actual acceptance', () => {
    const k = clock([
      ['2026-03-02', 'receipt'],
      ['2026-03-02', 'accept'],
    ]);
    expect(k.acceptance).toBe('actual');
    expect(k.acceptedOn).toBe('2026-03-02');
    expect(k.committedDue).toBe('2026-03-05');
    expect(k.statutoryDue).toBe('2026-03-23');
    expect(k.limitBasis).toBe('committed');
  });

  it('an acceptance within 5 working days of receipt, without notice, counts from its own day', () => {
    const k = clock([
      ['2026-03-02', 'receipt'],
      ['2026-03-06', 'accept'],
    ]);
    expect(k.acceptance).toBe('actual');
    expect(k.acceptedOn).toBe('2026-03-06');
    expect(k.committedDue).toBe('2026-03-11');
  });

  it('no notify_supplement within 5 working days: accepted on the day of receipt (deemed)', () => {
    // 5 working days after Mon 2 March is Mon 9 March; an acceptance on the 10th is too late.
    const k = clock([
      ['2026-03-02', 'receipt'],
      ['2026-03-10', 'accept'],
    ]);
    expect(k.deemedFrom).toBe('2026-03-10');
    expect(k.acceptance).toBe('deemed');
    expect(k.acceptedOn).toBe('2026-03-02');
    expect(k.committedDue).toBe('2026-03-05');
  });

  it('a notice within the 5 days lets the clock start at the later acceptance', () => {
    const k = clock([
      ['2026-03-02', 'receipt'],
      ['2026-03-09', 'notify_supplement', { missing: ['M2'] }],
      ['2026-03-11', 'supplement', { materials: ['M2'] }],
      ['2026-03-12', 'accept'],
    ]);
    expect(k.acceptance).toBe('actual');
    expect(k.acceptedOn).toBe('2026-03-12');
    expect(k.committedDue).toBe('2026-03-17');
  });

  it('a notice after the 5 days does not save the case from deemed acceptance', () => {
    const k = clock([
      ['2026-03-02', 'receipt'],
      ['2026-03-10', 'notify_supplement', { missing: ['M2'] }],
      ['2026-03-12', 'accept'],
    ]);
    expect(k.acceptance).toBe('deemed');
    expect(k.acceptedOn).toBe('2026-03-02');
  });

  it('while awaiting a timely supplement the clock has not started: no deadline, green', () => {
    const k = clock(
      [
        ['2026-03-02', 'receipt'],
        ['2026-03-03', 'notify_supplement', { missing: ['M2'] }],
      ],
      {
        asOf: '2026-03-30',
      },
    );
    expect(k.state).toBe('awaiting_supplement');
    expect(k.acceptance).toBe('none');
    expect(k.committedDue).toBeNull();
    expect(k.light).toBe('green');
  });

  it('before the notice period ends a case is pending, reckoned from receipt; after it, deemed', () => {
    const early = clock([['2026-03-02', 'receipt']], { asOf: '2026-03-04' });
    expect(early.acceptance).toBe('pending');
    expect(early.state).toBe('received');
    expect(early.committedDue).toBe('2026-03-05');
    expect(early.light).toBe('yellow');
    const late = clock([['2026-03-02', 'receipt']], { asOf: '2026-03-10' });
    expect(late.acceptance).toBe('deemed');
    expect(late.state).toBe('accepted');
    expect(late.light).toBe('red');
  });

  it('a refusal at intake within the notice period closes the case without acceptance', () => {
    const k = clock([
      ['2026-03-02', 'receipt'],
      ['2026-03-03', 'return', { stage: 'intake', reasons: ['不属于本机关职权范围'] }],
      ['2026-03-03T11:00:00+08:00', 'complete', { result: 'returned' }],
    ]);
    expect(k.acceptance).toBe('none');
    expect(k.result).toBe('returned');
    expect(k.state).toBe('completed');
    expect(k.light).toBe('none');
  });

  it('the notice period comes from policy', () => {
    const k = clock(
      [
        ['2026-03-02', 'receipt'],
        ['2026-03-06', 'accept'],
      ],
      {
        policy: { ...defaultCasePolicy, deemedAcceptanceDays: 2 },
      },
    );
    expect(k.acceptance).toBe('deemed');
    expect(k.acceptedOn).toBe('2026-03-02');
  });
});

describe('limits', () => {
  it('fast track uses fastTrackDays', () => {
    const k = clock([['2026-03-02', 'accept']], { route: 'fast_track' });
    expect(k.limitBasis).toBe('fast_track');
    expect(k.committedDays).toBe(1);
    expect(k.committedDue).toBe('2026-03-03');
  });

  it('fast track on an item without a fast-track limit falls back to the committed limit', () => {
    const k = clock([['2026-03-02', 'accept']], {
      route: 'fast_track',
      item: { ...SG001, fastTrackDays: null },
    });
    expect(k.committedDays).toBe(3);
    expect(k.committedDue).toBe('2026-03-05');
  });

  it('an instant item is due the day it is accepted: yellow that day, red the next', () => {
    const k = clock([['2026-03-02', 'accept']], { item: INSTANT, asOf: '2026-03-02' });
    expect(k.limitBasis).toBe('instant');
    expect(k.committedDue).toBe('2026-03-02');
    expect(k.statutoryDue).toBe('2026-03-30');
    expect(k.light).toBe('yellow');
    expect(lightOn(k, '2026-03-03')).toBe('red');
    const done = clock(
      [
        ['2026-03-02T10:00:00+08:00', 'accept'],
        ['2026-03-02T10:30:00+08:00', 'approve'],
        ['2026-03-02T10:40:00+08:00', 'complete'],
      ],
      { item: INSTANT },
    );
    expect(done.overdue).toBe(false);
    expect(done.workingDaysUsed).toBe(0);
    expect(done.light).toBe('none');
  });

  it('working days skip the Spring Festival and count the adjusted Saturday', () => {
    // Thu 12 Feb: 13th (Fri), 14th (Sat, 春节调休), then 24th after the holiday.
    const k = clock([['2026-02-12', 'accept']], {
      received: '2026-02-12T09:00:00+08:00',
      asOf: '2026-02-20',
    });
    expect(k.committedDue).toBe('2026-02-24');
    expect(k.calendarMissing).toBe(false);
  });

  it('flags deadlines that run into a year without a calendar file', () => {
    const k = clock([['2027-12-30', 'accept']], {
      received: '2027-12-30T09:00:00+08:00',
      asOf: '2027-12-30',
    });
    expect(k.calendarMissing).toBe(true);
  });
});

describe('clock stops (Art. 45) and extensions (Art. 42)', () => {
  it('working days between clock_stop and clock_resume do not count', () => {
    const k = clock([
      ['2026-03-02', 'accept'],
      ['2026-03-03', 'clock_stop', { reason: 'expert_review', applicantNotified: true }],
      ['2026-03-09', 'clock_resume', { reason: 'expert_review' }],
    ]);
    // Stopped 4, 5, 6 and 9 March: 3 + 4 working days after 2 March.
    expect(k.stoppedDays).toBe(4);
    expect(k.stops).toEqual([{ from: '2026-03-03', to: '2026-03-09', days: 4, reason: 'expert_review' }]);
    expect(k.committedDue).toBe('2026-03-11');
    expect(k.statutoryDue).toBe('2026-03-27');
  });

  it('a stop before acceptance stops nothing', () => {
    const k = clock([
      ['2026-03-02', 'clock_stop', { reason: 'inspection' }],
      ['2026-03-04', 'clock_resume'],
      ['2026-03-04', 'accept'],
    ]);
    expect(k.stoppedDays).toBe(0);
    expect(k.committedDue).toBe('2026-03-09');
  });

  it('while the clock is stopped the case is neither yellow nor red', () => {
    const k = clock(
      [
        ['2026-03-02', 'accept'],
        ['2026-03-03', 'clock_stop', { reason: 'hearing' }],
      ],
      {
        asOf: '2026-03-12',
      },
    );
    expect(k.clockStoppedSince).toBe('2026-03-03');
    expect(k.yellowFrom).toBeNull();
    expect(k.redFrom).toBeNull();
    expect(k.light).toBe('green');
    // As if resumed today: 7 working days stopped (4th .. 12th), so 3 + 7 after 2 March.
    expect(k.stoppedDays).toBe(7);
    expect(k.committedDue).toBe('2026-03-16');
  });

  it('a stop after the deadline has passed leaves the case red', () => {
    const k = clock(
      [
        ['2026-03-02', 'accept'],
        ['2026-03-09', 'clock_stop', { reason: 'other' }],
      ],
      {
        asOf: '2026-03-12',
      },
    );
    expect(k.light).toBe('red');
    expect(k.redFrom).toBe('2026-03-06');
  });

  it('approved extensions are added; an extension nobody approved is not', () => {
    const k = clock([
      ['2026-03-02', 'accept'],
      ['2026-03-04', 'extend', { days: 5, approvedBy: 'S001', applicantNotified: true }],
      ['2026-03-04', 'extend', { days: 3, applicantNotified: true }],
    ]);
    expect(k.extensionDays).toBe(5);
    expect(k.committedDue).toBe('2026-03-12');
    expect(k.statutoryDue).toBe('2026-03-30');
  });
});

describe('lights, days and completion', () => {
  const accepted: Step[] = [
    ['2026-03-02', 'receipt'],
    ['2026-03-02', 'accept'],
  ];
  it('green, then yellow one working day before the deadline, then red after it', () => {
    const k = clock(accepted, { asOf: '2026-03-03' });
    expect(k.yellowFrom).toBe('2026-03-04');
    expect(k.redFrom).toBe('2026-03-06');
    expect(lightOn(k, '2026-03-03')).toBe('green');
    expect(lightOn(k, '2026-03-04')).toBe('yellow');
    expect(lightOn(k, '2026-03-05')).toBe('yellow');
    expect(lightOn(k, '2026-03-06')).toBe('red');
    expect(k.light).toBe('green');
  });

  it('a red card is due follow-up working days after the case turned red', () => {
    const k = clock(accepted);
    // Red from Fri 6th (first working day past Thu 5th); two working days later: Tue 10th.
    expect(k.redCardFrom).toBe('2026-03-10');
    const longer = clock(accepted, { policy: { ...defaultCasePolicy, followUpDays: 5, yellowLeadDays: 2 } });
    expect(longer.redCardFrom).toBe('2026-03-13');
    expect(longer.yellowFrom).toBe('2026-03-03');
  });

  it('counts days used and days left on the day of asking', () => {
    const k = clock(accepted, { asOf: '2026-03-04' });
    expect(k.workingDaysUsed).toBe(2);
    expect(k.daysLeft).toBe(1);
    const late = clock(accepted, { asOf: '2026-03-09' });
    expect(late.daysLeft).toBe(-2);
  });

  it('a completed case has no light and says whether it was late', () => {
    const onTime = clock([...accepted, ['2026-03-04', 'approve'], ['2026-03-04T16:00:00+08:00', 'complete']]);
    expect(onTime.light).toBe('none');
    expect(onTime.overdue).toBe(false);
    expect(onTime.workingDaysUsed).toBe(2);
    expect(onTime.daysLeft).toBe(1);
    const late = clock([...accepted, ['2026-03-09', 'approve'], ['2026-03-09T16:00:00+08:00', 'complete']]);
    expect(late.overdue).toBe(true);
    expect(late.statutoryOverdue).toBe(false);
    expect(late.workingDaysUsed).toBe(5);
    expect(late.completedOn).toBe('2026-03-09');
    expect(late.result).toBe('granted');
  });
});

describe('states, people and parallel opinions', () => {
  it('walks received, awaiting supplement, accepted, under review, decided, completed, announced', () => {
    const steps: Step[] = [
      ['2026-03-02', 'receipt'],
      ['2026-03-03', 'notify_supplement', { missing: ['M2'] }],
      ['2026-03-04', 'supplement', { materials: ['M2'] }],
      ['2026-03-04T11:00:00+08:00', 'accept'],
      ['2026-03-05', 'review', { opinion: 'grant' }],
      ['2026-03-06', 'approve'],
      ['2026-03-06T11:00:00+08:00', 'complete'],
      ['2026-03-09', 'announce'],
    ];
    const states = steps.map((_, i) => clock(steps.slice(0, i + 1), { asOf: '2026-03-04' }).state);
    expect(states).toEqual([
      'received',
      'awaiting_supplement',
      'received',
      'accepted',
      'under_review',
      'decided',
      'completed',
      'announced',
    ]);
  });

  it('names the accepting clerk responsible and lists everyone who acted', () => {
    const k = computeCaseClock(
      { caseNo: 'C', route: 'normal', receivedAt: at('2026-03-02') },
      [
        { seq: 1, at: at('2026-03-02'), action: 'receipt', actor: 'S005', data: {} },
        { seq: 2, at: at('2026-03-03'), action: 'accept', actor: 'S026', data: {} },
        { seq: 3, at: at('2026-03-04'), action: 'review', actor: 'S009', data: { opinion: 'grant' } },
      ],
      SG001,
      getCalendar(),
      { timeZone: TZ, asOf: at('2026-03-04'), policy: defaultCasePolicy },
    );
    expect(k.responsible).toBe('S026');
    expect(k.actors).toEqual(['S005', 'S026', 'S009']);
  });

  it("tracks each dispatched department's opinion", () => {
    const k = clock(
      [
        ['2026-03-02', 'accept'],
        ['2026-03-03', 'dispatch', { departments: ['D-QUALITY', 'D-SAFETY'] }],
        ['2026-03-04', 'opinion', { department: 'D-QUALITY', opinion: 'grant' }],
      ],
      { route: 'parallel' },
    );
    expect(k.departments).toEqual([
      {
        department: 'D-QUALITY',
        dispatchedAt: '2026-03-03T02:00:00.000Z',
        opinion: 'grant',
        opinionAt: '2026-03-04T02:00:00.000Z',
      },
      { department: 'D-SAFETY', dispatchedAt: '2026-03-03T02:00:00.000Z', opinion: null, opinionAt: null },
    ]);
    expect(k.state).toBe('under_review');
  });

  it('dates are the bureau’s local dates: 23:30 UTC is the next day in Shanghai', () => {
    const k = clock([['2026-03-02T23:30:00Z', 'accept']], { received: '2026-03-02T23:00:00Z' });
    expect(k.receivedOn).toBe('2026-03-03');
    expect(k.acceptedOn).toBe('2026-03-03');
  });
});
