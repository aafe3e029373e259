/**
 * Every check of DESIGN.md on hand-made cases that pass and that fail, with the detail text a
 * person reads and the staff named. The cases are ingested through the ledger (so each event
 * carries its real authority decision) and verified by a run over the named cases.
 *
 * Dates: March 2026, no holidays; 2026-03-02 is a Monday. SG-002 has a committed limit of 2
 * working days (fast track 1), statutory 15; SG-001 must carry the bureau seal.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { runContext } from '../../src/verification/context.ts';
import { checkQuery, getVerificationPolicy } from '../../src/verification/index.ts';
import { AS_OF, ingest, ledgerApp, STAFF, story, TZ, verifyCases } from './support.ts';

const S = STAFF;
const base = (_no: string, over: Record<string, unknown> = {}) => ({ itemCode: 'SG-002', ...over });
/** receipt, accept, review, approve, seal, complete on `done`, announce on `announced` (null: none). */
const clean = (
  done = '2026-03-04',
  announced: string | null = done,
): [string, string, string?, Record<string, unknown>?][] => [
  ['2026-03-02T09:20:00+08:00', 'receipt'],
  ['2026-03-02T10:00:00+08:00', 'accept'],
  ['2026-03-03', 'review'],
  [`${done}T10:00:00+08:00`, 'approve'],
  [`${done}T10:05:00+08:00`, 'seal'],
  [`${done}T10:10:00+08:00`, 'complete'],
  ...(announced ? ([[`${announced}T16:00:00+08:00`, 'announce']] as [string, string][]) : []),
];

const refusal = {
  stage: 'decision',
  reasons: ['申请材料不符合法定条件'],
  legalBasis: '《建筑工程施工许可管理办法》第四条',
  remedies: ['补齐资金证明后重新申请'],
  appealRightsNotified: true,
};

const cases = {
  'V-CLEAN': story('V-CLEAN', clean(), base('V-CLEAN')),
  'V-LATE': story('V-LATE', clean('2026-03-06'), base('V-LATE')),
  'V-STATUTORY': story('V-STATUTORY', clean('2026-03-25'), base('V-STATUTORY')),
  'V-STOPPED': story(
    'V-STOPPED',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-02T10:00:00+08:00', 'accept'],
      [
        '2026-03-03T09:00:00+08:00',
        'clock_stop',
        S.review,
        { reason: 'expert_review', applicantNotified: true },
      ],
      [
        '2026-03-09T09:00:00+08:00',
        'clock_resume',
        S.review,
        { reason: 'expert_review', applicantNotified: true },
      ],
      ['2026-03-09T10:00:00+08:00', 'review'],
      ['2026-03-10T10:00:00+08:00', 'approve'],
      ['2026-03-10T10:05:00+08:00', 'seal'],
      ['2026-03-10T10:10:00+08:00', 'complete'],
      ['2026-03-10T16:00:00+08:00', 'announce'],
    ],
    base('V-STOPPED'),
  ),
  'V-EXT': story(
    'V-EXT',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-02T10:00:00+08:00', 'accept'],
      [
        '2026-03-03T09:00:00+08:00',
        'extend',
        S.approve,
        { days: 3, approvedBy: S.head, applicantNotified: true },
      ],
      ['2026-03-03T10:00:00+08:00', 'review'],
      ['2026-03-09T10:00:00+08:00', 'approve'],
      ['2026-03-09T10:05:00+08:00', 'seal'],
      ['2026-03-09T10:10:00+08:00', 'complete'],
      ['2026-03-09T16:00:00+08:00', 'announce'],
    ],
    base('V-EXT'),
  ),
  'V-EXT-BAD': story(
    'V-EXT-BAD',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-02T10:00:00+08:00', 'accept'],
      ['2026-03-03T09:00:00+08:00', 'extend', S.approve, { days: 12, approvedBy: S.review }],
      ['2026-03-03T10:00:00+08:00', 'review'],
      ['2026-03-04T10:00:00+08:00', 'approve'],
      ['2026-03-04T10:05:00+08:00', 'seal'],
      ['2026-03-04T10:10:00+08:00', 'complete'],
      ['2026-03-04T16:00:00+08:00', 'announce'],
    ],
    base('V-EXT-BAD'),
  ),
  'V-NOTICE-OK': story(
    'V-NOTICE-OK',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-03', 'notify_supplement', S.accept, { missing: ['M2'] }],
      ['2026-03-05T09:00:00+08:00', 'supplement', S.accept, { materials: ['M2'] }],
      ['2026-03-05T09:30:00+08:00', 'accept'],
      ['2026-03-06', 'review'],
      ['2026-03-09T10:00:00+08:00', 'approve'],
      ['2026-03-09T10:05:00+08:00', 'seal'],
      ['2026-03-09T10:10:00+08:00', 'complete'],
      ['2026-03-09T16:00:00+08:00', 'announce'],
    ],
    base('V-NOTICE-OK'),
  ),
  'V-NOTICE-TWICE': story(
    'V-NOTICE-TWICE',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-03', 'notify_supplement', S.accept, { missing: ['M2'] }],
      ['2026-03-05', 'notify_supplement', S.accept, { missing: ['M3'] }],
      ['2026-03-06T09:00:00+08:00', 'supplement', S.accept, { materials: ['M2', 'M3'] }],
      ['2026-03-06T09:30:00+08:00', 'accept'],
      ['2026-03-06T11:00:00+08:00', 'review'],
      ['2026-03-09T10:00:00+08:00', 'approve'],
      ['2026-03-09T10:05:00+08:00', 'seal'],
      ['2026-03-09T10:10:00+08:00', 'complete'],
      ['2026-03-09T16:00:00+08:00', 'announce'],
    ],
    base('V-NOTICE-TWICE'),
  ),
  'V-NOTICE-LATE': story(
    'V-NOTICE-LATE',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-10', 'notify_supplement', S.accept, { missing: ['M2'] }],
      ['2026-03-11T09:00:00+08:00', 'supplement', S.accept, { materials: ['M2'] }],
      ['2026-03-11T09:30:00+08:00', 'accept'],
      ['2026-03-11T11:00:00+08:00', 'review'],
      ['2026-03-12T10:00:00+08:00', 'approve'],
      ['2026-03-12T10:05:00+08:00', 'seal'],
      ['2026-03-12T10:10:00+08:00', 'complete'],
      ['2026-03-12T16:00:00+08:00', 'announce'],
    ],
    base('V-NOTICE-LATE'),
  ),
  'V-NOTICE-INCOMPLETE': story(
    'V-NOTICE-INCOMPLETE',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-03', 'notify_supplement', S.accept, { missing: ['M2'] }],
      ['2026-03-05T09:00:00+08:00', 'supplement', S.accept, { materials: ['M2', 'M3'] }],
      ['2026-03-05T09:30:00+08:00', 'accept'],
      ['2026-03-06', 'review'],
      ['2026-03-09T10:00:00+08:00', 'approve'],
      ['2026-03-09T10:05:00+08:00', 'seal'],
      ['2026-03-09T10:10:00+08:00', 'complete'],
      ['2026-03-09T16:00:00+08:00', 'announce'],
    ],
    base('V-NOTICE-INCOMPLETE'),
  ),
  'V-NO-RECEIPT': story('V-NO-RECEIPT', clean().slice(1), base('V-NO-RECEIPT')),
  'V-LATE-RECEIPT': story(
    'V-LATE-RECEIPT',
    [['2026-03-03T09:00:00+08:00', 'receipt'], ...clean('2026-03-04').slice(1)],
    base('V-LATE-RECEIPT'),
  ),
  'V-REFUSAL-OK': story(
    'V-REFUSAL-OK',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-02T10:00:00+08:00', 'accept'],
      ['2026-03-03', 'review', S.review, { opinion: 'refuse' }],
      ['2026-03-04T10:00:00+08:00', 'return', S.approve, refusal],
      ['2026-03-04T11:00:00+08:00', 'file_rejection', S.announce, { filedTo: S.chief }],
      ['2026-03-04T12:00:00+08:00', 'complete', S.approve, { result: 'returned' }],
      ['2026-03-04T16:00:00+08:00', 'announce'],
    ],
    base('V-REFUSAL-OK'),
  ),
  'V-REFUSAL-BAD': story(
    'V-REFUSAL-BAD',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-02T10:00:00+08:00', 'accept'],
      ['2026-03-03', 'review', S.review, { opinion: 'refuse' }],
      ['2026-03-04T10:00:00+08:00', 'return', S.approve, { stage: 'decision', reasons: ['材料不全'] }],
      ['2026-03-04T12:00:00+08:00', 'complete', S.approve, { result: 'returned' }],
      ['2026-03-04T16:00:00+08:00', 'announce'],
    ],
    base('V-REFUSAL-BAD'),
  ),
  'V-REFUSAL-LATE': story(
    'V-REFUSAL-LATE',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-02T10:00:00+08:00', 'accept'],
      ['2026-03-03', 'review', S.review, { opinion: 'refuse' }],
      ['2026-03-04T10:00:00+08:00', 'return', S.approve, refusal],
      ['2026-03-04T12:00:00+08:00', 'complete', S.approve, { result: 'returned' }],
      ['2026-03-04T16:00:00+08:00', 'announce'],
      ['2026-03-09T11:00:00+08:00', 'file_rejection', S.announce, { filedTo: S.chief }],
    ],
    base('V-REFUSAL-LATE'),
  ),
  'V-INTAKE-REFUSAL': story(
    'V-INTAKE-REFUSAL',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      [
        '2026-03-02T11:00:00+08:00',
        'return',
        S.accept,
        { ...refusal, stage: 'intake', appealRightsNotified: false },
      ],
      ['2026-03-03T09:00:00+08:00', 'file_rejection', S.announce, { filedTo: S.chief }],
      ['2026-03-03T10:00:00+08:00', 'complete', S.accept, { result: 'returned' }],
      ['2026-03-03T16:00:00+08:00', 'announce'],
    ],
    base('V-INTAKE-REFUSAL'),
  ),
  'V-NO-ANNOUNCE': story('V-NO-ANNOUNCE', clean('2026-03-04', null), base('V-NO-ANNOUNCE')),
  'V-LATE-ANNOUNCE': story('V-LATE-ANNOUNCE', clean('2026-03-04', '2026-03-09'), base('V-LATE-ANNOUNCE')),
  'V-UNAUTHORIZED': story(
    'V-UNAUTHORIZED',
    clean().map((s) => (s[1] === 'review' ? ([s[0], 'review', S.announce] as [string, string, string]) : s)),
    base('V-UNAUTHORIZED'),
  ),
  'V-SEPARATION': story(
    'V-SEPARATION',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-02T10:00:00+08:00', 'accept'],
      ['2026-03-02T15:00:00+08:00', 'review', S.chief],
      ['2026-03-03T10:00:00+08:00', 'approve', S.chief],
      ['2026-03-03T10:05:00+08:00', 'seal'],
      ['2026-03-03T10:10:00+08:00', 'complete'],
      ['2026-03-03T16:00:00+08:00', 'announce'],
    ],
    base('V-SEPARATION', { route: 'fast_track' }),
  ),
  'V-SEAL': story('V-SEAL', clean(), { itemCode: 'SG-001' }),
  'V-TOLERANCE-OK': story(
    'V-TOLERANCE-OK',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-02T10:00:00+08:00', 'accept', S.accept, { missing: ['M5'], dueBy: '2026-03-04' }],
      ['2026-03-03T09:00:00+08:00', 'supplement', S.accept, { materials: ['M5'] }],
      ['2026-03-03T10:00:00+08:00', 'review'],
      ['2026-03-04T10:00:00+08:00', 'approve'],
      ['2026-03-04T10:05:00+08:00', 'seal'],
      ['2026-03-04T10:10:00+08:00', 'complete'],
      ['2026-03-04T16:00:00+08:00', 'announce'],
    ],
    base('V-TOLERANCE-OK', { route: 'tolerance', project: { code: 'P-1', name: '泉州湾大桥', key: true } }),
  ),
  'V-TOLERANCE-BAD': story(
    'V-TOLERANCE-BAD',
    [
      ['2026-03-02T09:20:00+08:00', 'receipt'],
      ['2026-03-02T10:00:00+08:00', 'accept', S.accept, { missing: ['M1', 'M5'], dueBy: '2026-03-20' }],
      ['2026-03-03T10:00:00+08:00', 'review'],
      ['2026-03-04T10:00:00+08:00', 'approve'],
      ['2026-03-04T10:05:00+08:00', 'seal'],
      ['2026-03-04T10:10:00+08:00', 'complete'],
      ['2026-03-04T16:00:00+08:00', 'announce'],
    ],
    base('V-TOLERANCE-BAD', { route: 'tolerance', project: { code: 'P-2', name: '某商住楼', key: false } }),
  ),
  'V-GREEN-OK': story(
    'V-GREEN-OK',
    clean(),
    base('V-GREEN-OK', { route: 'green_channel', project: { code: 'P-1', name: '泉州湾大桥', key: true } }),
  ),
  'V-GREEN-BAD': story(
    'V-GREEN-BAD',
    clean(),
    base('V-GREEN-BAD', { route: 'green_channel', project: { code: 'P-3', name: '某厂房', key: false } }),
  ),
};

let t: Awaited<ReturnType<typeof ledgerApp>>;
let v: Awaited<ReturnType<typeof verifyCases>>;

beforeAll(async () => {
  t = await ledgerApp();
  await ingest(t, Object.values(cases).flat());
  v = await verifyCases(t, Object.keys(cases));
});
afterAll(() => t?.close());

describe('a clean case', () => {
  it('passes every check that applies, and the rest do not apply', () => {
    expect(v.failed('V-CLEAN')).toEqual([]);
    const results = Object.fromEntries(
      [
        'timely',
        'one-notice',
        'receipt',
        'refusal-filed',
        'announced',
        'authorized',
        'separation',
        'seal',
        'tolerance',
        'green-channel',
        'extension',
      ].map((c) => [c, v.of('V-CLEAN', c).result]),
    );
    expect(results).toEqual({
      timely: 'pass',
      'one-notice': 'not_applicable',
      receipt: 'pass',
      'refusal-filed': 'not_applicable',
      announced: 'pass',
      authorized: 'pass',
      separation: 'pass',
      seal: 'pass',
      tolerance: 'not_applicable',
      'green-channel': 'not_applicable',
      extension: 'not_applicable',
    });
    expect(v.of('V-CLEAN', 'timely').detail).toBe('在承诺时限内办结');
    expect(v.of('V-CLEAN', 'timely').staff).toEqual([]);
  });
  it('counts the run: every named case, the failures and the cases with failures', () => {
    expect(v.status.status).toBe('done');
    expect(v.status.cases).toBe(Object.keys(cases).length);
    expect(v.status.failedCases).toBeGreaterThan(10);
  });
});

describe('timely (限时办结)', () => {
  it('fails a case completed after the committed limit, naming the completer', () => {
    const r = v.of('V-LATE', 'timely');
    expect(r.result).toBe('fail');
    expect(r.detail).toBe('办结于2026-03-06, 超出承诺时限2个工作日 (承诺期限 2026-03-04)');
    expect(r.staff).toEqual([S.approve]);
    expect(v.failed('V-LATE')).toEqual(['timely']);
  });
  it('fails past the statutory limit, saying so', () => {
    expect(v.of('V-STATUTORY', 'timely').detail).toBe(
      '办结于2026-03-25, 超出法定时限2个工作日 (法定期限 2026-03-23, 承诺期限 2026-03-04)',
    );
  });
  it('does not count the days the clock was stopped (Art. 45)', () => {
    // due 2026-03-04 + 4 stopped working days (03-04, 03-05, 03-06, 03-09) = 2026-03-10
    expect(v.of('V-STOPPED', 'timely').result).toBe('pass');
    expect(v.failed('V-STOPPED')).toEqual([]);
  });
  it('adds an extension approved by the head (Art. 42), and only then', () => {
    expect(v.of('V-EXT', 'timely').result).toBe('pass');
    expect(v.failed('V-EXT')).toEqual([]);
  });
  it('counts from receipt when the supplement notice came too late (Art. 32)', () => {
    const r = v.of('V-NOTICE-LATE', 'timely');
    expect(r.result).toBe('fail');
    expect(r.detail).toBe('办结于2026-03-12, 超出承诺时限6个工作日 (承诺期限 2026-03-04)');
  });
  it('does not apply to a case refused at intake within the notice period', () => {
    expect(v.of('V-INTAKE-REFUSAL', 'timely').result).toBe('not_applicable');
  });
  it('is one set-based query on its own, agreeing with the run', async () => {
    const policy = getVerificationPolicy();
    const ctx = await runContext(t.db, {
      timeZone: TZ,
      spanFrom: '2026-01-01',
      spanTo: '2027-01-31',
      asOfDate: '2026-04-01',
    });
    const rows = await queryRows<{ case_no: string; result: string }>(
      t.db,
      checkQuery('timely', {
        ctx,
        policy,
        importId: v.run.ledgerImportId,
        period: null,
        range: { list: ['V-CLEAN', 'V-LATE', 'V-STOPPED', 'V-INTAKE-REFUSAL'] },
      }),
    );
    expect(Object.fromEntries(rows.map((r) => [r.case_no, r.result]))).toEqual({
      'V-CLEAN': 'pass',
      'V-INTAKE-REFUSAL': 'not_applicable',
      'V-LATE': 'fail',
      'V-STOPPED': 'pass',
    });
  });
});

describe('one-notice (一次性告知)', () => {
  it('passes one notice in time naming what was supplied', () => {
    expect(v.of('V-NOTICE-OK', 'one-notice').result).toBe('pass');
    expect(v.failed('V-NOTICE-OK')).toEqual([]);
  });
  it('fails a second notice, naming who sent it', () => {
    const r = v.of('V-NOTICE-TWICE', 'one-notice');
    expect(r.detail).toBe('发出2次补正告知 (首次 2026-03-03, 其后 2026-03-05), 未一次性告知');
    expect(r.staff).toEqual([S.accept]);
    expect(v.failed('V-NOTICE-TWICE')).toEqual(['one-notice']);
  });
  it('fails a notice later than 5 working days after receipt', () => {
    expect(v.of('V-NOTICE-LATE', 'one-notice').detail).toBe(
      '补正告知于2026-03-10发出, 超过收件(2026-03-02)后5个工作日 (应于 2026-03-09 前)',
    );
  });
  it('fails a supplement of materials the notice did not name', () => {
    expect(v.of('V-NOTICE-INCOMPLETE', 'one-notice').detail).toBe('补件材料 M3 未经书面补正告知列明');
  });
  it('does not apply without a notice or a supplement', () => {
    expect(v.of('V-CLEAN', 'one-notice').detail).toBe('无补正告知或补件');
  });
});

describe('receipt (收件回执)', () => {
  it('fails a case without a receipt, naming the clerk who took it in', () => {
    const r = v.of('V-NO-RECEIPT', 'receipt');
    expect(r.detail).toBe('未出具收件回执 (收件于2026-03-02)');
    expect(r.staff).toEqual([S.accept]);
  });
  it('fails a receipt given after the day the materials arrived', () => {
    expect(v.of('V-LATE-RECEIPT', 'receipt').detail).toBe('收件回执于2026-03-03出具, 晚于收件日2026-03-02');
    expect(v.failed('V-LATE-RECEIPT')).toEqual(['receipt']);
  });
});

describe('refusal-filed (否定报备)', () => {
  it('passes a reasoned refusal filed the same day', () => {
    expect(v.of('V-REFUSAL-OK', 'refusal-filed').result).toBe('pass');
    expect(v.failed('V-REFUSAL-OK')).toEqual([]);
  });
  it('lists everything missing from a refusal, naming who refused', () => {
    const r = v.of('V-REFUSAL-BAD', 'refusal-filed');
    expect(r.detail).toBe(
      '2026-03-04不予许可: 未向上否定报备、未说明法律依据、未提示补救途径、未告知申请行政复议或者提起行政诉讼的权利',
    );
    expect(r.staff).toEqual([S.approve]);
  });
  it('fails a filing more than one working day after the return', () => {
    expect(v.of('V-REFUSAL-LATE', 'refusal-filed').detail).toBe(
      '2026-03-04不予许可: 否定报备于2026-03-09, 超过1个工作日',
    );
  });
  it('does not ask an intake refusal to tell of appeal rights', () => {
    expect(v.of('V-INTAKE-REFUSAL', 'refusal-filed').result).toBe('pass');
    expect(v.failed('V-INTAKE-REFUSAL')).toEqual([]);
  });
});

describe('announced (办结公告)', () => {
  it('fails a completed case never announced, naming the announcement desk on duty', () => {
    const r = v.of('V-NO-ANNOUNCE', 'announced');
    expect(r.detail).toBe('办结于2026-03-04, 未办结公告');
    expect(r.staff).toEqual([S.announce]);
  });
  it('fails an announcement more than one working day late', () => {
    expect(v.of('V-LATE-ANNOUNCE', 'announced').detail).toBe(
      '办结于2026-03-04, 公告于2026-03-09, 超过1个工作日',
    );
  });
});

describe('authorized (权责一致)', () => {
  it('fails an action the authority in force did not allow, with the reason', () => {
    const r = v.of('V-UNAUTHORIZED', 'authorized');
    expect(r.detail).toMatch(/^第3步审核由S016于2026-03-03办理, 超出其权限 \(.+\)$/);
    expect(r.staff).toEqual([S.announce]);
    expect(v.failed('V-UNAUTHORIZED')).toEqual(['authorized']);
  });
});

describe('separation (审批与监管分离)', () => {
  it('fails the same person reviewing and approving, leaving authority to its own check', () => {
    const r = v.of('V-SEPARATION', 'separation');
    expect(r.detail).toBe(
      'S003既审核(第3步)又准予许可(第4步): 审核人员不得审批自己审核的案件 (审核与审批分离)',
    );
    expect(r.staff).toEqual([S.chief]);
    // The chief holds the fast-track grants: only the separation rule refused it.
    expect(v.failed('V-SEPARATION')).toEqual(['separation']);
  });
});

describe('seal (审批专用章)', () => {
  it('fails the approval seal on an item that must carry the bureau seal', () => {
    const r = v.of('V-SEAL', 'seal');
    expect(r.detail).toBe('建筑工程施工许可证核发(SG-001)不得使用审批专用章, 应加盖局公章 (第5步, S010)');
    expect(r.staff).toEqual([S.approve]);
  });
});

describe('tolerance (容缺预审)', () => {
  it('passes a key project owing a secondary material supplied by its date', () => {
    expect(v.of('V-TOLERANCE-OK', 'tolerance').result).toBe('pass');
    expect(v.failed('V-TOLERANCE-OK')).toEqual([]);
  });
  it('lists every condition broken, naming the accepting clerk', () => {
    const r = v.of('V-TOLERANCE-BAD', 'tolerance');
    expect(r.detail).toBe(
      '非重点项目适用容缺预审；受理时欠缺主要材料 M1；补齐期限 2026-03-20 超出一个承诺时限 (2026-03-04)；欠缺材料 M1、M5 未在 2026-03-20 前补齐',
    );
    expect(r.staff).toEqual([S.accept]);
  });
});

describe('green-channel (绿色通道)', () => {
  it('passes a key project and fails any other', () => {
    expect(v.of('V-GREEN-OK', 'green-channel').result).toBe('pass');
    expect(v.failed('V-GREEN-OK')).toEqual([]);
    expect(v.of('V-GREEN-BAD', 'green-channel').detail).toBe('非重点项目走绿色通道');
  });
});

describe('extension (延期, Art. 42)', () => {
  it('passes an extension of at most 10 days approved by the head, applicant told', () => {
    expect(v.of('V-EXT', 'extension').result).toBe('pass');
  });
  it('fails a long extension approved by someone who may not, applicant not told', () => {
    const r = v.of('V-EXT-BAD', 'extension');
    expect(r.detail).toBe(
      '2026-03-03延期12个工作日: 超过10个工作日、由S009批准, 其无批准延期的权限 (应由机关负责人批准)、未告知申请人延期理由；累计延期12个工作日, 超过10个工作日',
    );
    expect(r.staff).toEqual([S.approve]);
  });
});

describe('the stored findings', () => {
  it('carry English wording and the fault type of the misconduct policy', async () => {
    const rows = await queryRows<{ detail_en: string; fault_type: string }>(
      t.db,
      sql`select detail_en, fault_type from verification_findings where run_id = ${v.run.id} and case_no = 'V-LATE' and "check" = 'timely'`,
    );
    expect(rows).toEqual([
      {
        detail_en: 'completed on 2026-03-06, 2 working day(s) past the committed limit (due 2026-03-04)',
        fault_type: 'late-completion',
      },
    ]);
  });
  it('were judged as of the run', () => {
    expect(v.run.asOf.toISOString()).toBe(AS_OF.toISOString());
  });
});
