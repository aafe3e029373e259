/**
 * `caseNumberRanges` cuts the ledger into consecutive ranges of case numbers that cover every
 * case exactly once, `size` cases each but the last, whatever the size (more than the 100 ranges
 * one look-up finds, and sizes that divide the ledger exactly).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseNumberRanges, ingestCaseRecords } from '../../src/cases/index.ts';
import { caseLine, ledgerApp } from './support.ts';

let t: Awaited<ReturnType<typeof ledgerApp>>;
const N = 257;
const numbers = Array.from(
  { length: N },
  (_, i) => `RG-${String((i * 7919) % 100_000).padStart(5, '0')}`,
).sort();

beforeAll(async () => {
  t = await ledgerApp();
  await ingestCaseRecords(
    t.database,
    numbers.map((no) => caseLine(no)),
    { actor: 'test', source: 'test', timeZone: 'Asia/Shanghai', now: new Date('2026-03-03T00:00:00+08:00') },
  );
});
afterAll(() => t?.close());

describe('caseNumberRanges', () => {
  it.each([1, 2, 3, 100, 257, 300])('covers every case once in ranges of %i', async (size) => {
    const sizes: number[] = [];
    const seen: string[] = [];
    let last: string | null = '';
    for await (const { lo, hi } of caseNumberRanges(t.db, size)) {
      expect(lo).toBe(last);
      const inside = numbers.filter((c) => c > lo && (hi === null || c <= hi));
      sizes.push(inside.length);
      seen.push(...inside);
      last = hi;
    }
    expect(last).toBeNull();
    expect(seen).toEqual(numbers);
    expect(sizes.slice(0, Math.floor(N / size)).every((n) => n === size)).toBe(true);
    expect(sizes.length).toBe(Math.floor(N / size) + 1);
  });
});
