/**
 * Anomalies: each code raised by the event that breaks the order, and a well-ordered case
 * raising none.
 */
import { describe, expect, it } from 'vitest';
import { type AnomalyCode, AnomalyTracker, anomalyCatalog, anomalyCodes } from '../../src/cases/anomalies.ts';

type Step = [string, Record<string, unknown>?, number?];

/** The anomalies of each step; a step's third element is its time (minutes), default its index. */
function walk(steps: Step[], route = 'normal'): AnomalyCode[][] {
  const t = new AnomalyTracker(route);
  return steps.map(([action, data, minute], i) =>
    t.next({ seq: i + 1, action, atMs: (minute ?? i) * 60_000, data: data ?? {} }),
  );
}

const last = (steps: Step[], route?: string) => walk(steps, route).at(-1);

describe('anomalies', () => {
  it('a case in the expected order has none', () => {
    const all = walk([
      ['receipt'],
      ['notify_supplement', { missing: ['M2'] }],
      ['supplement', { materials: ['M2'] }],
      ['accept'],
      ['dispatch', { departments: ['D1'] }],
      ['opinion', { department: 'D1', opinion: 'grant' }],
      ['clock_stop', { reason: 'hearing' }],
      ['clock_resume'],
      ['review', { opinion: 'grant' }],
      ['approve'],
      ['seal', { seal: 'special' }],
      ['complete', { result: 'granted' }],
      ['announce'],
      ['deliver'],
    ]);
    expect(all.flat()).toEqual([]);
  });

  const cases: [AnomalyCode, Step[], string?][] = [
    [
      'time_out_of_order',
      [
        ['receipt', {}, 10],
        ['accept', {}, 5],
      ],
    ],
    ['notify_after_accept', [['accept'], ['notify_supplement', { missing: ['M1'] }]]],
    [
      'notify_repeated',
      [
        ['notify_supplement', { missing: ['M1'] }],
        ['notify_supplement', { missing: ['M3'] }],
      ],
    ],
    ['supplement_without_notice', [['receipt'], ['supplement', { materials: ['M1'] }]]],
    ['accept_repeated', [['accept'], ['accept']]],
    ['before_accept', [['receipt'], ['review', { opinion: 'grant' }]]],
    ['decision_before_accept', [['receipt'], ['approve']]],
    ['decision_before_accept', [['receipt'], ['return', { stage: 'decision' }]]],
    ['intake_return_after_accept', [['accept'], ['return', { stage: 'intake' }]]],
    ['opinion_not_dispatched', [['accept'], ['opinion', { department: 'D9', opinion: 'grant' }]]],
    [
      'decision_with_pending_opinions',
      [
        ['accept'],
        ['dispatch', { departments: ['D1', 'D2'] }],
        ['opinion', { department: 'D1', opinion: 'grant' }],
        ['approve'],
      ],
    ],
    [
      'stop_while_stopped',
      [['accept'], ['clock_stop', { reason: 'hearing' }], ['clock_stop', { reason: 'tender' }]],
    ],
    ['resume_without_stop', [['accept'], ['clock_resume']]],
    ['seal_before_approve', [['accept'], ['seal', { seal: 'special' }]]],
    ['file_rejection_without_return', [['accept'], ['file_rejection', { filedTo: 'S003' }]]],
    ['complete_without_decision', [['accept'], ['complete', { result: 'granted' }]]],
    ['result_mismatch', [['accept'], ['return', { stage: 'decision' }], ['complete', { result: 'granted' }]]],
    [
      'complete_while_stopped',
      [['accept'], ['clock_stop', { reason: 'hearing' }], ['approve'], ['complete', { result: 'granted' }]],
    ],
    ['announce_before_complete', [['accept'], ['approve'], ['announce']]],
    ['deliver_without_grant', [['accept'], ['deliver']]],
    [
      'event_after_complete',
      [['accept'], ['approve'], ['complete', { result: 'granted' }], ['review', { opinion: 'grant' }]],
    ],
  ];
  for (const [code, steps, route] of cases) {
    it(`${code}: ${steps.map((s) => s[0]).join(' > ')}`, () => {
      expect(last(steps, route)).toContain(code);
    });
  }

  it('every code in the catalogue is exercised above and has both texts', () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(anomalyCodes));
    for (const code of anomalyCodes) {
      expect(anomalyCatalog[code].zh).toMatch(/\p{Script=Han}/u);
      expect(anomalyCatalog[code].en.length).toBeGreaterThan(5);
    }
  });

  it('under tolerance, acceptance with missing materials makes a later supplement and notice expected', () => {
    expect(
      last(
        [
          ['accept', { missing: ['M3'], dueBy: '2026-03-20' }],
          ['supplement', { materials: ['M3'] }],
        ],
        'tolerance',
      ),
    ).toEqual([]);
    expect(
      last(
        [
          ['accept', { missing: ['M3'], dueBy: '2026-03-20' }],
          ['notify_supplement', { missing: ['M3'] }],
        ],
        'tolerance',
      ),
    ).toEqual([]);
  });

  it('after completion, announcing, delivering and filing a rejection are still expected', () => {
    const steps: Step[] = [
      ['accept'],
      ['return', { stage: 'decision' }],
      ['complete', { result: 'returned' }],
    ];
    expect(last([...steps, ['file_rejection', { filedTo: 'S003' }]])).toEqual([]);
    expect(last([...steps, ['announce']])).toEqual([]);
  });
});
