/**
 * Planner runs in the background, for big organisations: starting one returns at once with an id,
 * and the HR page polls its progress (phase, group, solver gap) until the draft plan is stored.
 * Runs live in this process's memory (a restart forgets unfinished ones; the plans they stored
 * stay); finished runs are kept for an hour.
 *
 * @example
 * const run = startRun(db, params, 'user:hr');
 * getRun(run.id) // { state: 'running', progress: { phase: 'assign', round: 1, ... } }
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { AppError } from '../platform/errors.ts';
import { draftPlan, type PlanParams } from './service.ts';
import type { PlannerProgress } from './types.ts';

export interface PlanRun {
  id: string;
  actor: string;
  state: 'running' | 'done' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  progress: PlannerProgress | null;
  planId: number | null;
  error: { code: string; message: string; errors?: { path: string; message: string }[] } | null;
}

const runs = new Map<string, PlanRun>();
const KEEP_MS = 60 * 60 * 1000;

function prune() {
  const now = Date.now();
  for (const [id, r] of runs) if (r.finishedAt && now - Date.parse(r.finishedAt) > KEEP_MS) runs.delete(id);
}

/** Starts a planner run that stores a draft when done. At most two run at once. */
export function startRun(db: Db, params: PlanParams, actor: string): PlanRun {
  prune();
  const running = [...runs.values()].filter((r) => r.state === 'running').length;
  if (running >= 2)
    throw new AppError('RATE_LIMITED', 'two planner runs are already going; try again when one ends');
  const run: PlanRun = {
    id: randomBytes(8).toString('hex'),
    actor,
    state: 'running',
    startedAt: new Date().toISOString(),
    finishedAt: null,
    progress: null,
    planId: null,
    error: null,
  };
  runs.set(run.id, run);
  draftPlan(db, params, { actor, onProgress: (p) => (run.progress = p) })
    .then((plan) => {
      run.planId = plan.id;
      run.state = 'done';
    })
    .catch((err: unknown) => {
      run.state = 'failed';
      run.error =
        err instanceof AppError
          ? { code: err.code, message: err.message, ...(err.errors ? { errors: err.errors } : {}) }
          : { code: 'INTERNAL', message: 'the planner failed; it has been logged' };
      if (!(err instanceof AppError))
        console.error(`[${new Date().toISOString()}] rotation run ${run.id}:`, err);
    })
    .finally(() => {
      run.finishedAt = new Date().toISOString();
    });
  return run;
}

/** A run by id; only its starter sees it. */
export function getRun(id: string, actor: string): PlanRun {
  const run = runs.get(id);
  if (!run || run.actor !== actor) throw new AppError('NOT_FOUND', `no planner run ${id}`);
  return run;
}

/** Waits until a run ends (tests, the CLI). */
export async function waitForRun(id: string, actor: string, pollMs = 50): Promise<PlanRun> {
  for (;;) {
    const run = getRun(id, actor);
    if (run.state !== 'running') return run;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
