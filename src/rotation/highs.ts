/**
 * HiGHS (LP/MIP, WebAssembly) in a worker thread. `solve()` of HiGHS blocks its thread for as long
 * as it runs, so every model goes to a fresh `worker_threads` Worker; the server keeps answering,
 * progress (bounds and gap) comes back as messages, and a time limit stops the search with the best
 * solution found and the proven bound, so the gap can be reported honestly.
 *
 * The worker is plain CommonJS evaluated from a string and loads `highs` by its resolved path, so
 * it runs the same under tsx, vitest and node alone.
 *
 * @example
 * const r = await solveLinear({ numCols: 2, colCost: [1, 2], colLower: [0, 0], colUpper: [1, 1],
 *   integer: true, rows: csrRows([[{ col: 0, value: 1 }, { col: 1, value: 1 }]], [1], [1]) }, { timeLimitSec: 5 });
 * r.status // 'optimal'; r.objective 1; r.values [1, 0]
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Constraint rows in compressed sparse row form, with their lower and upper bounds. */
export interface SparseRows {
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

export interface LinearModel {
  numCols: number;
  colCost: ArrayLike<number>;
  colLower: ArrayLike<number>;
  colUpper: ArrayLike<number>;
  /** true: every column integer (a MIP); false or absent: an LP. */
  integer?: boolean;
  rows: SparseRows;
  /** A feasible solution to start the MIP search from (an incumbent, so the gap is finite at once). */
  start?: ArrayLike<number>;
}

export interface SolveProgress {
  /** Seconds since the solver started. */
  seconds: number;
  /** Best solution's objective so far (a minimisation: an upper bound). */
  primalBound: number | null;
  /** Proven lower bound on the optimum. */
  dualBound: number | null;
  /** Relative gap between the two, 0 when optimal. */
  gap: number | null;
}

export type SolveStatus = 'optimal' | 'time_limit' | 'infeasible' | 'unbounded' | 'error';

export interface SolveResult {
  status: SolveStatus;
  /** HiGHS's own status name, for the record. */
  highsStatus: string;
  /** Objective of the best solution found; null when there is none. */
  objective: number | null;
  /** Proven lower bound (MIP dual bound; the objective itself for an optimal LP). */
  bound: number | null;
  /** Relative gap |objective - bound| / max(1, |objective|); 0 when optimal. */
  gap: number | null;
  /** Column values of the best solution found; null when there is none. */
  values: Float64Array | null;
  seconds: number;
}

export interface SolveOptions {
  timeLimitSec: number;
  /** Relative MIP gap at which to stop (HiGHS's default 1e-4 is too loose for exact claims). */
  mipRelGap?: number;
  onProgress?: (p: SolveProgress) => void;
}

const highsPath = createRequire(import.meta.url).resolve('highs');

const statusNames: Record<number, string> = {
  0: 'not set',
  1: 'load error',
  2: 'model error',
  3: 'presolve error',
  4: 'solve error',
  5: 'postsolve error',
  6: 'empty',
  7: 'optimal',
  8: 'infeasible',
  9: 'unbounded or infeasible',
  10: 'unbounded',
  11: 'objective bound',
  12: 'objective target',
  13: 'time limit',
  14: 'iteration limit',
  15: 'unknown',
  16: 'solution limit',
  17: 'interrupted',
};

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const loader = require(workerData.highsPath);
loader().then((highs) => {
  const m = workerData.model;
  const model = highs.createModel({
    numCols: m.numCols,
    numRows: m.rows.lower.length,
    colCost: m.colCost,
    colLower: m.colLower,
    colUpper: m.colUpper,
    rowLower: m.rows.lower,
    rowUpper: m.rows.upper,
    matrix: { format: 'csr', numRows: m.rows.lower.length, numCols: m.numCols, starts: m.rows.starts, indices: m.rows.indices, values: m.rows.values },
    ...(m.integer ? { integrality: new Int32Array(m.numCols).fill(1) } : {}),
  });
  try {
    model.options.set({ output_flag: false, time_limit: workerData.timeLimitSec, mip_rel_gap: workerData.mipRelGap });
    if (m.start) model.setSolution({ colValue: m.start });
    let last = 0;
    const callbacks = {};
    callbacks[highs.constants.callbackType.mipLogging] = (e) => {
      const now = Date.now();
      if (now - last < 250) return undefined;
      last = now;
      const fin = (x) => (typeof x === 'number' && Number.isFinite(x) ? x : null);
      parentPort.postMessage({ type: 'progress', seconds: e.data.running_time ?? 0,
        primalBound: fin(e.data.mip_primal_bound), dualBound: fin(e.data.mip_dual_bound), gap: fin(e.data.mip_gap) });
      return undefined;
    };
    const run = model.run(m.integer ? callbacks : undefined);
    const info = (name) => { try { return Number(model.info.get(name)); } catch { return NaN; } };
    const primal = info('primal_solution_status') === 2;
    const values = primal ? model.getSolution().colValue : null;
    parentPort.postMessage({
      type: 'done', modelStatus: run.modelStatus, primal,
      objective: primal ? model.getObjectiveValue() : null,
      dualBound: m.integer ? info('mip_dual_bound') : null,
      seconds: model.getRunTime(), values,
    }, values ? [values.buffer] : []);
  } catch (err) {
    parentPort.postMessage({ type: 'error', message: String(err && err.stack || err) });
  } finally {
    model.dispose();
  }
}).catch((err) => parentPort.postMessage({ type: 'error', message: String(err && err.stack || err) }));
`;

/**
 * Solves a linear or mixed-integer model (minimisation) with HiGHS in a worker thread.
 * Never throws for an optimisation outcome (infeasible, time limit): that is in `status`.
 */
export function solveLinear(model: LinearModel, opts: SolveOptions): Promise<SolveResult> {
  const plain = {
    numCols: model.numCols,
    colCost: Float64Array.from(model.colCost),
    colLower: Float64Array.from(model.colLower),
    colUpper: Float64Array.from(model.colUpper),
    integer: model.integer ?? false,
    rows: model.rows,
    start: model.start ? Float64Array.from(model.start) : undefined,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, {
      eval: true,
      workerData: {
        highsPath,
        model: plain,
        timeLimitSec: opts.timeLimitSec,
        mipRelGap: opts.mipRelGap ?? 1e-9,
      },
    });
    // HiGHS honours its own time limit; this only catches a worker that never answers.
    const watchdog = setTimeout(
      () => {
        void worker.terminate();
        reject(new Error(`HiGHS worker did not answer within ${opts.timeLimitSec + 60} s`));
      },
      (opts.timeLimitSec + 60) * 1000,
    );
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      f();
      void worker.terminate();
    };
    worker.on('message', (msg: any) => {
      if (msg.type === 'progress') opts.onProgress?.(msg);
      else if (msg.type === 'error') finish(() => reject(new Error(`HiGHS: ${msg.message}`)));
      else if (msg.type === 'done') finish(() => resolve(toResult(msg, model.integer ?? false)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => {
      if (!settled) finish(() => reject(new Error(`HiGHS worker exited with code ${code}`)));
    });
  });
}

function toResult(msg: any, integer: boolean): SolveResult {
  const highsStatus = statusNames[msg.modelStatus] ?? `status ${msg.modelStatus}`;
  const status: SolveStatus =
    msg.modelStatus === 7
      ? 'optimal'
      : msg.modelStatus === 13 || msg.modelStatus === 14 || msg.modelStatus === 17
        ? 'time_limit'
        : msg.modelStatus === 8
          ? 'infeasible'
          : msg.modelStatus === 9 || msg.modelStatus === 10
            ? 'unbounded'
            : 'error';
  const objective: number | null = msg.primal ? msg.objective : null;
  let bound: number | null = null;
  if (integer) bound = Number.isFinite(msg.dualBound) ? msg.dualBound : null;
  else if (status === 'optimal') bound = objective;
  if (status === 'optimal' && objective !== null && (bound === null || bound > objective)) bound = objective;
  const gap =
    objective === null || bound === null
      ? null
      : status === 'optimal'
        ? 0
        : Math.abs(objective - bound) / Math.max(1, Math.abs(objective));
  return { status, highsStatus, objective, bound, gap, values: msg.values ?? null, seconds: msg.seconds };
}

/**
 * Builds `SparseRows` from rows of (column, value) entries.
 *
 * @example
 * csrRows([[{ col: 0, value: 1 }, { col: 2, value: 1 }]], [-Infinity], [1]) // x0 + x2 <= 1
 */
export function csrRows(
  rows: { col: number; value: number }[][],
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): SparseRows {
  const starts = new Int32Array(rows.length + 1);
  let nnz = 0;
  for (const r of rows) nnz += r.length;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  rows.forEach((r, i) => {
    for (const e of r) {
      indices[k] = e.col;
      values[k++] = e.value;
    }
    starts[i + 1] = k;
  });
  return { starts, indices, values, lower: Float64Array.from(lower), upper: Float64Array.from(upper) };
}

/**
 * The assignment problem as an LP for HiGHS (its constraint matrix is totally unimodular, so the
 * LP optimum is integral): the reference the tests and the benchmark compare `solveAssignment` to.
 * Forbidden (Infinity) pairs are left out of the model.
 */
export function assignmentModel(cost: number[][] | { n: number; costs: Float64Array }): {
  model: LinearModel;
  pairs: Int32Array;
} {
  const n = Array.isArray(cost) ? cost.length : cost.n;
  const at = (i: number, j: number) => (Array.isArray(cost) ? cost[i][j] : cost.costs[i * n + j]);
  const pairList: number[] = [];
  const costs: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = at(i, j);
      if (c !== Infinity) {
        pairList.push(i * n + j);
        costs.push(c);
      }
    }
  }
  const m = pairList.length;
  // Rows 0..n-1: each row of the matrix once; rows n..2n-1: each column once.
  const rowEntries: { col: number; value: number }[][] = Array.from({ length: 2 * n }, () => []);
  pairList.forEach((p, k) => {
    rowEntries[Math.floor(p / n)].push({ col: k, value: 1 });
    rowEntries[n + (p % n)].push({ col: k, value: 1 });
  });
  const ones = new Float64Array(2 * n).fill(1);
  return {
    model: {
      numCols: m,
      colCost: costs,
      colLower: new Float64Array(m),
      colUpper: new Float64Array(m).fill(1),
      rows: csrRows(rowEntries, ones, ones),
    },
    pairs: Int32Array.from(pairList),
  };
}
