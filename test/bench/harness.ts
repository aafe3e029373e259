/** Shared pieces of the benchmarks: the row shape, timing, and a fresh database. */
export interface BenchRow {
  name: string;
  figure: number;
  unit: string;
  /** The same work done the plain way, measured in the same run. */
  baseline?: number;
  /** figure / baseline (for rates: how much of the baseline's speed we reach). */
  ratio?: number;
  note?: string;
}

/** Runs `fn` and returns elapsed milliseconds. */
export async function timeMs(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

export { testDeps as benchDatabase } from '../helpers.ts';
