/**
 * The contract's line schemas, and the fast path that spares zod on well-formed lines: whatever
 * it accepts, zod accepts with the same value, over many generated lines, good and bad.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContractLine } from '../../src/cases/contract.ts';

const good = {
  case: {
    type: 'case',
    caseNo: 'QZJS-2026-000123',
    itemCode: 'SG-001',
    route: 'normal',
    channel: 'online',
    receivedAt: '2026-03-02T09:15:00+08:00',
    applicant: { kind: 'org', name: '泉州某建设有限公司', id: '91350500MA2XXXXXX1' },
    project: { code: 'P1', name: '重点项目', key: true },
  },
  event: {
    type: 'event',
    caseNo: 'QZJS-2026-000123',
    seq: 1,
    at: '2026-03-02T09:16:00+08:00',
    action: 'receipt',
    actor: 'S003',
    data: { receiptNo: 'R-1' },
  },
};

const odd = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.constant(' S003 '),
  fc.constant('x'.repeat(65)),
  fc.constant(0),
  fc.constant(1.5),
  fc.constant(100_001),
  fc.constant(true),
  fc.constant([]),
  fc.constant({}),
  fc.constant('2026-02-30T10:00:00+08:00'),
  fc.constant('2026-03-02T24:00:00+08:00'),
  fc.constant('2026-03-02 09:00'),
  fc.constant('2026-03-02T09:00:00Z'),
  fc.constantFrom(
    'receipt',
    'approve',
    'review',
    'seal',
    'complete',
    'accept',
    'extend',
    'fly',
    'special',
    'grant',
  ),
  fc.constantFrom('normal', 'fast_track', 'online', 'window', 'person', 'org', 'granted', 'official'),
  fc.string(),
  fc.integer(),
);
const keys = [
  'type',
  'caseNo',
  'itemCode',
  'route',
  'channel',
  'receivedAt',
  'applicant',
  'project',
  'seq',
  'at',
  'action',
  'actor',
  'data',
  'extra',
];
const dataKeys = [
  'receiptNo',
  'opinion',
  'note',
  'seal',
  'result',
  'missing',
  'dueBy',
  'days',
  'approvedBy',
  'stage',
];

/** A good line with a few fields (or data fields, or applicant/project fields) replaced. */
const mutated = fc
  .tuple(
    fc.constantFrom('case', 'event'),
    fc.array(fc.tuple(fc.constantFrom(...keys), odd), { maxLength: 3 }),
    fc.array(fc.tuple(fc.constantFrom(...dataKeys), odd), { maxLength: 2 }),
    fc.array(fc.tuple(fc.constantFrom('kind', 'name', 'id', 'code', 'key', 'x'), odd), { maxLength: 2 }),
  )
  .map(([type, top, data, inner]) => {
    const line: Record<string, any> = structuredClone(good[type as 'case' | 'event']);
    // Each value a copy of its own: the same constant {} in two places must not make a cycle.
    const own = (v: unknown) => (v === undefined ? undefined : structuredClone(v));
    for (const [k, val] of top) line[k] = own(val);
    if (type === 'event' && line.data && typeof line.data === 'object' && !Array.isArray(line.data))
      for (const [k, val] of data) line.data[k] = own(val);
    const target = type === 'case' ? (inner.length % 2 ? line.applicant : line.project) : null;
    if (target && typeof target === 'object' && !Array.isArray(target))
      for (const [k, val] of inner) target[k] = val;
    // Drop undefined so that the line is what JSON would give.
    return JSON.parse(JSON.stringify(line));
  });

describe('contract lines', () => {
  it('accepts the contract examples', () => {
    expect(parseContractLine(good.case)).toMatchObject({ ok: true, type: 'case' });
    expect(parseContractLine(good.event)).toMatchObject({ ok: true, type: 'event' });
  });

  it('the fast path agrees with zod on every line it accepts, and never accepts what zod refuses', () => {
    fc.assert(
      fc.property(mutated, (line) => {
        const slow = parseContractLine(line, { fast: false });
        const fast = parseContractLine(line);
        expect(fast.ok).toBe(slow.ok);
        if (slow.ok && fast.ok) expect(fast).toEqual(slow);
      }),
      { numRuns: 5000 },
    );
  });

  it('names every field at fault on a bad line', () => {
    const r = parseContractLine({ ...good.event, seq: 0, actor: '', data: { receiptNo: 7 } });
    expect(r).toMatchObject({ ok: false, caseNo: 'QZJS-2026-000123' });
    if (!r.ok) expect(r.message).toMatch(/seq: starts at 1; actor: must not be empty.*; data\.receiptNo/);
  });
});
