/**
 * The catalogue's figures on the demo catalogue, which reproduces the source's totals (54 items,
 * 46 at the window, 36 online, 49 with a statutory limit, 935 days shorter), and on a catalogue
 * small enough to check by hand; and the diff between versions of figures.
 */
import { describe, expect, it } from 'vitest';
import { catalogItems } from '../../src/demo/catalog.ts';
import { catalogueFigures, diffNumbers, formatAverage, formatPercent } from '../../src/reports/index.ts';

const item = (
  code: string,
  statutoryDays: number,
  committedDays: number,
  over: Record<string, unknown> = {},
) => ({
  code,
  name: code,
  business: 'b',
  kind: committedDays === 0 ? 'instant' : 'committed',
  statutoryDays,
  committedDays,
  online: true,
  atWindow: true,
  active: true,
  inactiveFrom: null,
  ...over,
});

describe('catalogue figures', () => {
  it("reproduce the source's totals on the demo catalogue, every average with its denominator", () => {
    const c = catalogueFigures(
      catalogItems().map((i) => ({ ...i, active: true, inactiveFrom: null })),
      '2026-03-31',
    );
    expect(c.items).toBe(54);
    expect(c.atWindow).toBe(46);
    expect(c.onlineAtWindow).toBe(36);
    expect(formatPercent(c.onlineShare, 0)).toBe('78%');
    expect(c.withStatutory).toBe(49);
    expect(c.reduction).toEqual({ num: 935, den: 49 });
    expect(c.reductionPerItem).toEqual({ num: 935, den: 54 });
    // The source's "17 days per item" is over all 54 items; over the 49 it is 19.1.
    expect(formatAverage(c.reductionPerItem)).toBe('17.3');
    expect(Math.round(935 / 54)).toBe(17);
    expect(formatAverage(c.reduction)).toBe('19.1');
    // 13 instant: 8 decided on the spot with a statutory limit, 5 reissues without one.
    expect(c.byKind).toEqual({ committed: 35, instant: 13, joint: 6 });
  });

  it('by hand: reductions only over items with a statutory limit; retired items count until they left', () => {
    const c = catalogueFigures(
      [
        item('A', 20, 5), // 15 shorter
        item('B', 15, 3, { online: false }), // 12 shorter, at the window but not online
        item('C', 0, 0), // no statutory limit
        item('D', 10, 2, { atWindow: false, online: false }), // 8 shorter, not at the window
        item('E', 30, 10, { active: false, inactiveFrom: '2026-04-01' }), // retired after March: counts
        item('F', 30, 10, { active: false, inactiveFrom: '2026-03-01' }), // retired before the end: not
      ],
      '2026-03-31',
    );
    expect(c.items).toBe(5);
    expect(c.atWindow).toBe(4);
    expect(c.onlineShare).toEqual({ num: 3, den: 4 }); // A C E
    expect(c.withStatutory).toBe(4);
    expect(c.reduction).toEqual({ num: 15 + 12 + 8 + 20, den: 4 });
    expect(c.reductionPerItem).toEqual({ num: 55, den: 5 });
    expect(c.statutoryTotal).toEqual({ num: 75, den: 4 });
    expect(c.committedTotal).toEqual({ num: 20, den: 4 });
    expect(c.perItem.C.reduction).toBe(0);
  });
});

describe('diff of figures between versions', () => {
  it('lists changed, added and removed leaves by path, whatever the key order', () => {
    const before = { b: { y: 2, x: 1 }, list: [1, 2], gone: 5 };
    const after = { list: [1, 3], b: { x: 1, y: 2 }, added: { z: 0 } };
    expect(diffNumbers(before, after)).toEqual([
      { path: 'added.z', before: null, after: 0 },
      { path: 'gone', before: 5, after: null },
      { path: 'list[1]', before: 2, after: 3 },
    ]);
    expect(diffNumbers(before, JSON.parse(JSON.stringify(before)))).toEqual([]);
  });
});
