/**
 * The exact linear assignment solver at the core of the rotation planner: given a square cost
 * matrix, the permutation (row i takes column assignment[i]) of least total cost.
 *
 * Jonker-Volgenant (LAPJV, 1987): column reduction with reduction transfer, two passes of
 * augmenting row reduction, then a shortest augmenting path (Dijkstra over reduced costs) for each
 * row still free. O(n^3) in the worst case, far less on typical instances; the result is optimal,
 * not approximate, because the final phase keeps dual feasibility and complementary slackness.
 *
 * Forbidden pairs are `Infinity`. They are replaced by one big finite cost M chosen so that any
 * permutation using one costs more than every permutation without (M > max + (n-1)(max-min)); if the
 * optimum still uses one, no permutation of finite pairs exists and the instance is infeasible.
 *
 * @example
 * solveAssignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]]) // { assignment: [1, 0, 2], total: 5, feasible: true }
 * solveAssignment([[1, Infinity], [2, Infinity]])    // { assignment: [], total: Infinity, feasible: false }
 */

export interface AssignmentResult {
  /** Row i is assigned column assignment[i]; empty when infeasible. */
  assignment: number[];
  /** The least total cost; Infinity when infeasible. */
  total: number;
  /** False when no permutation avoids every forbidden (Infinity) pair. */
  feasible: boolean;
}

/** A square cost matrix, as rows of numbers or as one row-major Float64Array with its size. */
export type CostMatrix = number[][] | { n: number; costs: Float64Array };

/**
 * Solves the square linear assignment problem exactly (minimum total cost).
 * Throws a RangeError for a ragged matrix, NaN or -Infinity.
 */
export function solveAssignment(cost: CostMatrix): AssignmentResult {
  const { assignment, total, feasible } = solveAssignmentWithDuals(cost);
  return { assignment, total, feasible };
}

export interface DualResult extends AssignmentResult {
  /** Row duals u and column duals v: cost[i][j] - u[i] - v[j] >= 0, equal to 0 on the assignment. */
  u: Float64Array;
  v: Float64Array;
  /** False when rounding spoilt the duals (then they must not be used to prune). */
  dualsExact: boolean;
}

/**
 * `solveAssignment` with an optimal dual solution. The reduced cost `cost - u - v` of a pair is how
 * much the optimum would rise at least if that pair were forced in, which lets a caller drop pairs
 * that cannot be in any solution better than one it already has (reduced-cost fixing).
 */
export function solveAssignmentWithDuals(cost: CostMatrix, opts: { inPlace?: boolean } = {}): DualResult {
  const { n, c, forbidden } = flatten(cost, opts.inPlace ?? false);
  if (n === 0) {
    return {
      assignment: [],
      total: 0,
      feasible: true,
      u: new Float64Array(),
      v: new Float64Array(),
      dualsExact: true,
    };
  }
  const x = new Int32Array(n).fill(-1); // row -> column
  const y = new Int32Array(n).fill(-1); // column -> row
  const v = new Float64Array(n);
  const free = new Int32Array(n);
  let nFree = columnReduction(n, c, x, y, v, free);
  for (let pass = 0; pass < 2 && nFree > 0; pass++)
    nFree = augmentingRowReduction(n, c, x, y, v, free, nFree);
  if (nFree > 0) augment(n, c, x, y, v, free, nFree);

  // u[i] = min_j (c[i][j] - v[j]) is dual feasible by construction; it is optimal when the dual
  // objective meets the primal one.
  const u = new Float64Array(n);
  let dual = 0;
  let primal = 0;
  for (let i = 0; i < n; i++) {
    let min = Infinity;
    const base = i * n;
    for (let j = 0; j < n; j++) {
      const r = c[base + j] - v[j];
      if (r < min) min = r;
    }
    u[i] = min;
    dual += min + v[i];
    primal += c[base + x[i]];
  }
  const dualsExact = Math.abs(primal - dual) <= 1e-7 * Math.max(1, Math.abs(primal));

  const assignment = Array.from(x);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const j = assignment[i];
    if (forbidden?.[i * n + j]) {
      return { assignment: [], total: Infinity, feasible: false, u, v, dualsExact: false };
    }
    total += rowValue(cost, i, j, n);
  }
  return { assignment, total, feasible: true, u, v, dualsExact };
}

function rowValue(cost: CostMatrix, i: number, j: number, n: number): number {
  return Array.isArray(cost) ? cost[i][j] : cost.costs[i * n + j];
}

/**
 * The matrix as one Float64Array with forbidden pairs set to a big finite M: a copy, or the
 * caller's own array when `inPlace` (a caller that built it for this call only).
 */
function flatten(
  cost: CostMatrix,
  inPlace = false,
): { n: number; c: Float64Array; forbidden: Uint8Array | null } {
  const n = Array.isArray(cost) ? cost.length : cost.n;
  const c = !Array.isArray(cost) && inPlace ? cost.costs : new Float64Array(n * n);
  if (Array.isArray(cost)) {
    for (let i = 0; i < n; i++) {
      const row = cost[i];
      if (!row || row.length !== n)
        throw new RangeError(`row ${i} has ${row?.length ?? 0} entries, not ${n}`);
      c.set(row, i * n);
    }
  } else {
    if (cost.costs.length !== n * n)
      throw new RangeError(`expected ${n * n} costs, got ${cost.costs.length}`);
    if (c !== cost.costs) c.set(cost.costs);
  }
  let min = Infinity;
  let max = -Infinity;
  let forbidden: Uint8Array | null = null;
  for (let k = 0; k < c.length; k++) {
    const value = c[k];
    if (value === Infinity) {
      forbidden ??= new Uint8Array(n * n);
      forbidden[k] = 1;
    } else if (Number.isNaN(value) || value === -Infinity) {
      throw new RangeError(`cost[${Math.floor(k / n)}][${k % n}] is ${value}`);
    } else {
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  if (forbidden) {
    if (min === Infinity) return { n, c: c.fill(0), forbidden };
    const big = max + (max - min + 1) * n;
    for (let k = 0; k < c.length; k++) if (forbidden[k]) c[k] = big;
  }
  return { n, c, forbidden };
}

/** Column reduction and reduction transfer; returns the number of free rows left in `free`. */
function columnReduction(
  n: number,
  c: Float64Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
  free: Int32Array,
): number {
  v.fill(Infinity);
  for (let i = 0; i < n; i++) {
    const base = i * n;
    for (let j = 0; j < n; j++) {
      const cost = c[base + j];
      if (cost < v[j]) {
        v[j] = cost;
        y[j] = i;
      }
    }
  }
  const unique = new Uint8Array(n).fill(1);
  for (let j = n - 1; j >= 0; j--) {
    const i = y[j];
    if (x[i] < 0) x[i] = j;
    else {
      unique[i] = 0;
      y[j] = -1;
    }
  }
  let nFree = 0;
  for (let i = 0; i < n; i++) {
    if (x[i] < 0) free[nFree++] = i;
    else if (unique[i]) {
      // Reduction transfer: the row's only column gives up slack to the row's second best.
      const j = x[i];
      let min = Infinity;
      const base = i * n;
      for (let j2 = 0; j2 < n; j2++) {
        if (j2 === j) continue;
        const reduced = c[base + j2] - v[j2];
        if (reduced < min) min = reduced;
      }
      if (min !== Infinity) v[j] -= min;
    }
  }
  return nFree;
}

/** Augmenting row reduction: cheap alternating moves that settle most free rows. */
function augmentingRowReduction(
  n: number,
  c: Float64Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
  free: Int32Array,
  nFree: number,
): number {
  let current = 0;
  let newFree = 0;
  let steps = 0;
  while (current < nFree) {
    steps++;
    const i = free[current++];
    const base = i * n;
    let j1 = 0;
    let v1 = c[base] - v[0];
    let j2 = -1;
    let v2 = Infinity;
    for (let j = 1; j < n; j++) {
      const reduced = c[base + j] - v[j];
      if (reduced < v2) {
        if (reduced >= v1) {
          v2 = reduced;
          j2 = j;
        } else {
          v2 = v1;
          v1 = reduced;
          j2 = j1;
          j1 = j;
        }
      }
    }
    let i0 = y[j1];
    const lowered = v[j1] - (v2 - v1);
    const lowers = n > 1 && lowered < v[j1];
    if (steps < current * n) {
      if (lowers) v[j1] = lowered;
      else if (i0 >= 0 && j2 >= 0) {
        j1 = j2;
        i0 = y[j2];
      }
      if (i0 >= 0) {
        if (lowers) free[--current] = i0;
        else free[newFree++] = i0;
      }
    } else if (i0 >= 0) {
      free[newFree++] = i0;
    }
    x[i] = j1;
    y[j1] = i;
    if (i0 >= 0 && x[i0] === j1) x[i0] = -1;
  }
  return newFree;
}

/** Shortest augmenting paths (dense Dijkstra on reduced costs) for the rows still free. */
function augment(
  n: number,
  c: Float64Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
  free: Int32Array,
  nFree: number,
) {
  const cols = new Int32Array(n);
  const d = new Float64Array(n);
  const pred = new Int32Array(n);
  for (let f = 0; f < nFree; f++) {
    const start = free[f];
    const end = shortestPath(n, c, start, y, v, pred, cols, d);
    let j = end;
    for (;;) {
      const i = pred[j];
      y[j] = i;
      const previous = x[i];
      x[i] = j;
      if (i === start) break;
      j = previous;
    }
  }
}

/** Finds the free column nearest to row `start`; updates the duals of the settled columns. */
function shortestPath(
  n: number,
  c: Float64Array,
  start: number,
  y: Int32Array,
  v: Float64Array,
  pred: Int32Array,
  cols: Int32Array,
  d: Float64Array,
): number {
  let lo = 0;
  let hi = 0;
  let ready = 0;
  const base = start * n;
  for (let j = 0; j < n; j++) {
    cols[j] = j;
    d[j] = c[base + j] - v[j];
    pred[j] = start;
  }
  let end = -1;
  while (end < 0) {
    if (lo === hi) {
      ready = lo;
      // Move every column at the minimum distance into cols[lo..hi).
      hi = lo + 1;
      let min = d[cols[lo]];
      for (let k = hi; k < n; k++) {
        const j = cols[k];
        if (d[j] <= min) {
          if (d[j] < min) {
            hi = lo;
            min = d[j];
          }
          cols[k] = cols[hi];
          cols[hi++] = j;
        }
      }
      for (let k = lo; k < hi; k++) {
        if (y[cols[k]] < 0) {
          end = cols[k];
          break;
        }
      }
      if (end >= 0) break;
    }
    // Scan the rows of the columns at the current minimum distance.
    scanning: while (lo !== hi) {
      const jm = cols[lo++];
      const i = y[jm];
      const min = d[jm];
      const rowBase = i * n;
      const h = c[rowBase + jm] - v[jm] - min;
      for (let k = hi; k < n; k++) {
        const j = cols[k];
        const reduced = c[rowBase + j] - v[j] - h;
        if (reduced < d[j]) {
          d[j] = reduced;
          pred[j] = i;
          if (reduced === min) {
            if (y[j] < 0) {
              end = j;
              break scanning;
            }
            cols[k] = cols[hi];
            cols[hi++] = j;
          }
        }
      }
    }
  }
  // The path's length: every column found before this level moves its dual by how much shorter
  // its own distance was (reading d[cols[lo]] here, as some ports do, can pick a farther column).
  const min = d[end];
  for (let k = 0; k < ready; k++) {
    const j = cols[k];
    v[j] += d[j] - min;
  }
  return end;
}
