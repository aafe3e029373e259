/**
 * The exact assignment solver: against brute force on small random instances (every permutation
 * tried), against HiGHS on medium ones (same optimum), valid permutations, forbidden pairs, and
 * infeasible instances reported as such. Its duals must certify the optimum (used for pruning).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { solveAssignment, solveAssignmentWithDuals } from '../../src/rotation/assignment.ts';
import { assignmentModel, solveLinear } from '../../src/rotation/highs.ts';

/** The least total over every permutation (Infinity when every one uses a forbidden pair). */
function bruteForce(cost: number[][]): number {
  const n = cost.length;
  const perm = [...Array(n).keys()];
  let best = Infinity;
  // No pruning on partial sums: costs may be negative.
  const walk = (k: number, sum: number) => {
    if (k === n) {
      if (sum < best) best = sum;
      return;
    }
    for (let i = k; i < n; i++) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      walk(k + 1, sum + cost[k][perm[k]]);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  walk(0, 0);
  return best;
}

const isPermutation = (a: number[], n: number) =>
  a.length === n && new Set(a).size === n && a.every((j) => j >= 0 && j < n);

/** Random square matrices with integer or fractional costs, some negative, some forbidden. */
const matrices = (maxN: number) =>
  fc
    .integer({ min: 1, max: maxN })
    .chain((n) =>
      fc.array(
        fc.array(
          fc.oneof(
            { weight: 6, arbitrary: fc.integer({ min: -20, max: 100 }) },
            { weight: 2, arbitrary: fc.double({ min: 0, max: 50, noNaN: true }) },
            { weight: 2, arbitrary: fc.constant(Infinity) },
          ),
          { minLength: n, maxLength: n },
        ),
        { minLength: n, maxLength: n },
      ),
    );

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('solveAssignment', () => {
  it('solves a hand-checked 3 x 3 instance', () => {
    expect(
      solveAssignment([
        [4, 1, 3],
        [2, 0, 5],
        [3, 2, 2],
      ]),
    ).toEqual({ assignment: [1, 0, 2], total: 5, feasible: true });
  });

  it('handles the empty and the 1 x 1 matrix', () => {
    expect(solveAssignment([])).toEqual({ assignment: [], total: 0, feasible: true });
    expect(solveAssignment([[7]])).toEqual({ assignment: [0], total: 7, feasible: true });
    expect(solveAssignment([[Infinity]]).feasible).toBe(false);
  });

  it('equals brute force on random small instances and returns a permutation of finite pairs', () => {
    fc.assert(
      fc.property(matrices(7), (cost) => {
        const n = cost.length;
        const expected = bruteForce(cost);
        const r = solveAssignment(cost);
        if (expected === Infinity) {
          expect(r).toEqual({ assignment: [], total: Infinity, feasible: false });
          return;
        }
        expect(r.feasible).toBe(true);
        expect(isPermutation(r.assignment, n)).toBe(true);
        expect(r.assignment.every((j, i) => cost[i][j] !== Infinity)).toBe(true);
        expect(r.total).toBeCloseTo(expected, 9);
        expect(r.assignment.reduce((s, j, i) => s + cost[i][j], 0)).toBeCloseTo(r.total, 9);
      }),
      { numRuns: 1500, seed: 20270101 },
    );
  });

  it('reports as infeasible a matrix with a forbidden row, a forbidden column, or no perfect matching', () => {
    expect(
      solveAssignment([
        [1, 2],
        [Infinity, Infinity],
      ]).feasible,
    ).toBe(false);
    expect(
      solveAssignment([
        [1, Infinity],
        [2, Infinity],
      ]).feasible,
    ).toBe(false);
    // Rows 0 and 1 can only use column 0 (Hall's condition fails).
    const r = solveAssignment([
      [1, Infinity, Infinity],
      [2, Infinity, Infinity],
      [3, 4, 5],
    ]);
    expect(r).toEqual({ assignment: [], total: Infinity, feasible: false });
  });

  it('refuses NaN, -Infinity and ragged matrices', () => {
    expect(() =>
      solveAssignment([
        [1, Number.NaN],
        [1, 1],
      ]),
    ).toThrow(RangeError);
    expect(() =>
      solveAssignment([
        [1, -Infinity],
        [1, 1],
      ]),
    ).toThrow(RangeError);
    expect(() => solveAssignment([[1, 2], [1]])).toThrow(RangeError);
  });

  it('accepts a flat Float64Array and gives the same answer as rows', () => {
    const rnd = seeded(7);
    const n = 40;
    const rows = Array.from({ length: n }, () => Array.from({ length: n }, () => Math.floor(rnd() * 1000)));
    const flat = new Float64Array(rows.flat());
    expect(solveAssignment({ n, costs: flat })).toEqual(solveAssignment(rows));
  });

  it('gives optimal duals: no negative reduced cost, and their sum meets the optimum', () => {
    fc.assert(
      fc.property(matrices(12), (cost) => {
        const r = solveAssignmentWithDuals(cost);
        if (!r.feasible) return;
        expect(r.dualsExact).toBe(true);
        const n = cost.length;
        let dual = 0;
        for (let i = 0; i < n; i++) {
          dual += r.u[i] + r.v[i];
          const j = r.assignment[i];
          // Complementary slackness on the assignment; the big finite cost stands for Infinity.
          expect(cost[i][j] - r.u[i] - r.v[j]).toBeCloseTo(0, 6);
          for (let k = 0; k < n; k++)
            if (cost[i][k] !== Infinity) expect(cost[i][k] - r.u[i] - r.v[k]).toBeGreaterThan(-1e-6);
        }
        expect(dual).toBeCloseTo(r.total, 6);
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});

describe('solveAssignment against HiGHS', () => {
  it('has the same optimum as the HiGHS LP on medium random instances', async () => {
    const rnd = seeded(42);
    for (const [n, forbiddenShare] of [
      [30, 0],
      [60, 0.3],
      [90, 0.1],
    ] as const) {
      const cost = Array.from({ length: n }, () =>
        Array.from({ length: n }, () => (rnd() < forbiddenShare ? Infinity : Math.floor(rnd() * 500))),
      );
      const ours = solveAssignment(cost);
      const { model, pairs } = assignmentModel(cost);
      const highs = await solveLinear(model, { timeLimitSec: 30 });
      expect(highs.status).toBe('optimal');
      expect(ours.feasible).toBe(true);
      expect(ours.total).toBeCloseTo(highs.objective!, 6);
      expect(isPermutation(ours.assignment, n)).toBe(true);
      // HiGHS's own solution is a permutation of the same cost (the LP is integral here).
      const chosen = [...pairs].filter((_, k) => highs.values![k] > 0.5);
      expect(chosen).toHaveLength(n);
      expect(chosen.reduce((s, p) => s + cost[Math.floor(p / n)][p % n], 0)).toBeCloseTo(ours.total, 6);
    }
  });

  it('agrees with HiGHS that an instance without a perfect matching is infeasible', async () => {
    const n = 20;
    const cost = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i < 3 && j > 1 ? Infinity : i + j)),
    );
    expect(solveAssignment(cost).feasible).toBe(false);
    const highs = await solveLinear(assignmentModel(cost).model, { timeLimitSec: 10 });
    expect(highs.status).toBe('infeasible');
  });
});
