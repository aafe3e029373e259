/**
 * What the reports take from the modules after the ledger: verification failures by check,
 * misconduct matters by source and decisions by level, rotation moves done. Each is read through
 * that module's exported functions; where a module has nothing to give, its section says "no
 * data yet" (`available: false` with the reason), never a made-up zero.
 *
 * @example
 * const m = await misconductSection(db, { from: '2026-03-01', to: '2026-03-31' });
 * if (m.available) m.data.decisions.byLevel // { '1': 2, '3': 1, exempt: 1 }
 */
import type { DbOrTx } from '../db/client.ts';
import { misconductStats } from '../misconduct/index.ts';
import { getPlan, listPlans } from '../rotation/index.ts';
import { listRuns } from '../verification/index.ts';
import type { Range } from './ledger.ts';

export type Section<T> = { available: true; data: T } | { available: false; reason: string };

export interface MisconductFigures {
  /** Matters received in the period: all, by source and by kind (投诉, 举报, 违规审批, 失职). */
  received: number;
  bySource: Record<string, number>;
  byKind: Record<string, number>;
  /** Complaints and reports (投诉举报) among them. */
  complaints: number;
  /** Of the matters received in the period, those decided or closed by the time of the report. */
  handled: number;
  /** Decisions taken in the period, one per person concerned, by level in force (or `exempt`). */
  decisions: number;
  byLevel: Record<string, number>;
}

const HANDLED_STATES = new Set(['decided', 'notified', 'appealed', 'closed']);

/** Misconduct matters received and decisions taken in `range` (src/misconduct/stats.ts). */
export async function misconductSection(db: DbOrTx, range: Range): Promise<Section<MisconductFigures>> {
  const s = await misconductStats(db, { from: range.from, to: range.to });
  const handled = Object.entries(s.matters.byState)
    .filter(([state]) => HANDLED_STATES.has(state))
    .reduce((a, [, n]) => a + n, 0);
  return {
    available: true,
    data: {
      received: s.matters.total,
      bySource: sorted(s.matters.bySource),
      byKind: sorted(s.matters.byKind),
      complaints: (s.matters.byKind.complaint ?? 0) + (s.matters.byKind.report ?? 0),
      handled,
      decisions: s.decisions.total,
      byLevel: sorted(s.decisions.byLevel),
    },
  };
}

export interface VerificationFigures {
  /** The verification run the figures come from: the latest finished run of exactly this period. */
  runId: number;
  /** Cases verified, failed checks, and cases with at least one failure. */
  cases: number;
  failures: number;
  failedCases: number;
  /** Failed checks by check name (every check the run made, failures or not). */
  byCheck: Record<string, number>;
}

/**
 * Verification failures by check, from the latest finished verification run whose period is
 * exactly `range` (src/verification: listRuns). A run over another span would count other
 * cases, so without one the section says that no run covers the period.
 */
export async function verificationSection(db: DbOrTx, range: Range): Promise<Section<VerificationFigures>> {
  let before: number | undefined;
  for (let page = 0; page < 10; page++) {
    const runs = await listRuns(db, { limit: 200, before });
    for (const run of runs) {
      if (run.status.status !== 'done' || run.periodFrom !== range.from || run.periodTo !== range.to)
        continue;
      const byCheck: Record<string, number> = {};
      for (const [check, counts] of Object.entries(run.status.summary ?? {}))
        byCheck[check] = counts.fail ?? 0;
      return {
        available: true,
        data: {
          runId: run.id,
          cases: run.status.cases,
          failures: run.status.failures,
          failedCases: run.status.failedCases,
          byCheck: sorted(byCheck),
        },
      };
    }
    if (runs.length < 200) break;
    before = runs[runs.length - 1].id;
  }
  return { available: false, reason: 'verification-run' };
}

export interface RotationFigures {
  /** Applied rotation plans with a move taking effect in the period. */
  plans: number;
  /** Moves taking effect in the period, and how many of them a rule required. */
  moves: number;
  required: number;
  /** Distinct staff moved. */
  staff: number;
}

/** Rotation moves of applied plans that took effect in `range` (src/rotation: listPlans, getPlan). */
export async function rotationSection(db: DbOrTx, range: Range): Promise<Section<RotationFigures>> {
  const plans = (await listPlans(db)).filter((p) => p.state === 'applied' || p.state === 'archived');
  let used = 0;
  let moves = 0;
  let required = 0;
  const staff = new Set<string>();
  for (const summary of plans) {
    const plan = await getPlan(db, summary.id);
    if (!plan.appliedAt) continue;
    let any = false;
    for (const round of plan.result.rounds) {
      if (round.effectiveDate < range.from || round.effectiveDate > range.to) continue;
      for (const m of round.moves) {
        any = true;
        moves++;
        if (m.required) required++;
        staff.add(m.staff);
      }
    }
    if (any) used++;
  }
  return { available: true, data: { plans: used, moves, required, staff: staff.size } };
}

function sorted(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}
