/**
 * Authority as a service: the engine loaded from the database and cached per process, decisions
 * that are recorded, the scope of a clerk, and policy reloads.
 *
 * The cached engine is rebuilt when anything it decides from changes: in this process through the
 * generation counter (org import, suspensions, policy reloads call `invalidateAuthority`), and, for
 * changes another process made to authority's own tables (suspensions, policy activations),
 * through a fingerprint looked at no more than once a second.
 *
 * @example
 * const d = await decide(db, { staff: 'S005', action: 'accept', item: 'SG-001' }, { askedBy: 'cli' });
 * const engine = await getAuthorityEngine(db); // then engine.decide(...) synchronously, many times
 * const s = await scope(db, 'S005', new Date());
 */
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import {
  absenceHistory,
  assignmentHistory,
  getBureau,
  listItems,
  listPosts,
  listStaff,
} from '../org/service.ts';
import { policiesDir } from '../paths.ts';
import { AppError } from '../platform/errors.ts';
import { AuthorityEngine, type Scope } from './engine.ts';
import { authorityGeneration, invalidateAuthority } from './generation.ts';
import { readPolicyDir } from './policy.ts';
import { recordDecisions } from './recorder.ts';
import type { AuthoritySnapshot } from './snapshot.ts';
import { listSuspensions } from './suspensions.ts';
import type { CaseHistoryEvent, Decision, DecisionRequest } from './types.ts';
import { activatePolicyFiles, loadPolicyHistory } from './versions.ts';

/** The shipped policies. */
export const authorityPolicyDir = join(policiesDir, 'authority');

/** How often (at most) the cached engine looks for changes made by other processes. */
const RECHECK_MS = 1000;

export interface LoadOptions {
  /** The folder of policy files to bring into force first (default: the shipped policies). */
  policyDir?: string;
  /** Skip reading policy files: decide with the versions already stored. */
  storedPoliciesOnly?: boolean;
  actor?: string;
}

/** Reads everything the engine needs from the database (after activating the policy files). */
export async function loadSnapshot(db: Db, opts: LoadOptions = {}): Promise<AuthoritySnapshot> {
  if (!opts.storedPoliciesOnly) {
    await activatePolicyFiles(db, readPolicyDir(opts.policyDir ?? authorityPolicyDir), {
      actor: opts.actor ?? 'system',
    });
  }
  const [bureau, staff, posts, items, assignments, absences, suspensions, policies] = await Promise.all([
    getBureau(db),
    listStaff(db),
    listPosts(db),
    listItems(db),
    assignmentHistory(db),
    absenceHistory(db),
    listSuspensions(db),
    loadPolicyHistory(db),
  ]);
  if (policies.activations.length === 0)
    throw new AppError('INTERNAL', 'no authority policy has been brought into force yet');
  return {
    timeZone: bureau?.timeZone ?? 'Asia/Shanghai',
    head: bureau?.head ?? null,
    staff: staff.map((s) => ({
      no: s.no,
      name: s.name,
      inactiveFrom: s.active ? null : (s.inactiveFrom ?? null),
    })),
    posts: posts.map((p) => ({
      code: p.code,
      name: p.name,
      businesses: p.businesses,
      inactiveFrom: p.active ? null : (p.inactiveFrom ?? null),
    })),
    items: items.map((i) => ({
      code: i.code,
      name: i.name,
      business: i.business,
      kind: i.kind,
      specialSeal: i.specialSeal,
      atWindow: i.atWindow,
      online: i.online,
      department: i.department,
      inactiveFrom: i.active ? null : (i.inactiveFrom ?? null),
    })),
    assignments: assignments.map((a) => ({
      staffNo: a.staffNo,
      post: a.post,
      role: a.role,
      from: a.from,
      to: a.effectiveTo,
    })),
    absences: absences.map((a) => ({ staffNo: a.staffNo, from: a.from, to: a.to, reason: a.reason })),
    suspensions: suspensions.map((s) => ({
      id: s.id,
      staffNo: s.staff,
      from: s.from,
      liftedAt: s.liftedAt,
      reason: s.reason,
      ref: s.ref,
    })),
    policyFiles: policies.policyFiles,
    activations: policies.activations,
  };
}

/**
 * A fresh engine from the database. Brings the policy files of `opts.policyDir` (default the
 * shipped ones) into force first, unless `storedPoliciesOnly`.
 *
 * @example
 * const engine = await loadAuthorityEngine(db);
 * engine.decide({ staff: 'S005', action: 'review', item: 'SG-001', at: new Date() }).allowed;
 */
export async function loadAuthorityEngine(db: Db, opts: LoadOptions = {}): Promise<AuthorityEngine> {
  return new AuthorityEngine(await loadSnapshot(db, opts));
}

interface Cached {
  engine?: AuthorityEngine;
  generation: number;
  fingerprint: string;
  checkedAt: number;
  building?: { generation: number; promise: Promise<AuthorityEngine> };
  /** The shipped files were brought into force by this process. */
  filesActivated: boolean;
}

const cache = new WeakMap<Db, Cached>();

/** Changes other processes make to authority's own tables show up here. */
async function fingerprint(db: DbOrTx): Promise<string> {
  const [row] = await queryRows<{ s: string; l: string; a: string }>(
    db,
    sql`select (select coalesce(max(id), 0) from authority_suspensions)::text as s,
               (select count(*) from authority_suspension_lifts)::text as l,
               (select coalesce(max(id), 0) from authority_policy_activations)::text as a`,
  );
  return `${row.s}/${row.l}/${row.a}`;
}

/**
 * The cached engine when it may be used as is (nothing changed in this process and no check of
 * the database is due), else undefined: then `getAuthorityEngine`. Lets the request path skip an
 * asynchronous step.
 */
export function freshAuthorityEngine(db: Db): AuthorityEngine | undefined {
  const c = cache.get(db);
  if (c?.engine && c.generation === authorityGeneration() && Date.now() - c.checkedAt < RECHECK_MS)
    return c.engine;
  return undefined;
}

/**
 * The process-wide engine for `db`, rebuilt after anything it depends on changed. The shipped
 * policy files are brought into force the first time (and by `reloadAuthorityPolicies`).
 *
 * @example
 * const engine = await getAuthorityEngine(db);
 * for (const e of events) engine.decide({ staff: e.actor, action: e.action, item, at: new Date(e.at), case: ctx });
 */
export async function getAuthorityEngine(db: Db): Promise<AuthorityEngine> {
  let c = cache.get(db);
  if (!c) {
    c = { generation: -1, fingerprint: '', checkedAt: 0, filesActivated: false };
    cache.set(db, c);
  }
  for (;;) {
    const generation = authorityGeneration();
    if (c.engine && c.generation === generation) {
      const now = Date.now();
      if (now - c.checkedAt < RECHECK_MS) return c.engine;
      c.checkedAt = now;
      if ((await fingerprint(db)) === c.fingerprint) return c.engine;
      c.generation = -1;
    }
    // A build started before the latest change may have read the old data: wait, then look again.
    if (c.building) {
      const b = c.building;
      const engine = await b.promise;
      if (b.generation === authorityGeneration()) return engine;
      continue;
    }
    const entry = c;
    const promise = (async () => {
      try {
        if (!entry.filesActivated) {
          await activatePolicyFiles(db, readPolicyDir(authorityPolicyDir), { actor: 'system' });
          entry.filesActivated = true;
        }
        // Taken after our own activation and before reading: a change made meanwhile shows up at
        // the next check (at worst one rebuild too many, never a change missed).
        const fp = await fingerprint(db);
        const engine = await loadAuthorityEngine(db, { storedPoliciesOnly: true });
        entry.engine = engine;
        entry.generation = generation;
        entry.fingerprint = fp;
        entry.checkedAt = Date.now();
        return engine;
      } finally {
        entry.building = undefined;
      }
    })();
    entry.building = { generation, promise };
    return promise;
  }
}

/**
 * Brings the policy files of `dir` (default the shipped ones) into force if they differ from the
 * version in force, and rebuilds the cached engine. Throws PolicyError when a file is bad (the
 * version in force stays).
 */
export async function reloadAuthorityPolicies(db: Db, opts: { dir?: string; actor: string; at?: Date }) {
  const result = await activatePolicyFiles(db, readPolicyDir(opts.dir ?? authorityPolicyDir), {
    actor: opts.actor,
    at: opts.at,
  });
  const c = cache.get(db);
  if (c) c.filesActivated = true;
  invalidateAuthority();
  return result;
}

export type HistoryProvider = (db: Db, caseNo: string) => Promise<CaseHistoryEvent[]>;
let historyProvider: HistoryProvider | null = null;

/**
 * The case module registers how to find a case's earlier events, for separation-of-duties
 * rules when a request names a case but brings no history. Authority does not import the case
 * ledger (it comes later in the flow); without a provider, the history given (or none) is used.
 *
 * @example
 * setCaseHistoryProvider(async (db, caseNo) => (await caseEvents(db, caseNo)).map(({ seq, action, actor, at }) => ({ seq, action, actor, at })));
 */
export function setCaseHistoryProvider(fn: HistoryProvider | null): void {
  historyProvider = fn;
}

export type DecideInput = Omit<DecisionRequest, 'at'> & { at?: Date };

/**
 * Whether the answer to `req` can depend on the history of its case and the request brings none
 * (a separation rule for this action, or a grant that needs the stage and the stage was not
 * given): then the provider is asked for it.
 */
const lacksHistory = (engine: AuthorityEngine, req: DecisionRequest) =>
  historyProvider !== null &&
  req.case !== undefined &&
  !req.case.history &&
  engine.historyMatters(req.action, req.at, req.case.stage !== undefined);

/** Adds the history of the request's case through the provider, once per case in a batch. */
async function withHistory(
  db: Db,
  engine: AuthorityEngine,
  req: DecisionRequest,
  histories: Map<string, Promise<CaseHistoryEvent[]>>,
): Promise<DecisionRequest> {
  const c = req.case;
  if (!c || !historyProvider || !lacksHistory(engine, req)) return req;
  let history = histories.get(c.caseNo);
  if (!history) {
    history = historyProvider(db, c.caseNo);
    histories.set(c.caseNo, history);
  }
  return { ...req, case: { ...c, history: await history } };
}

/**
 * Decides and records one request or a batch (the batch is checked whole first: an unknown staff,
 * item or action anywhere is a 422 naming each, and nothing is recorded).
 *
 * @example
 * await decide(db, { staff: 'S005', action: 'approve', item: 'SG-001', case: { caseNo: 'QZJS-2026-000123' } }, { askedBy: 'cli' });
 */
export async function decide(db: Db, req: DecideInput, opts?: { askedBy?: string }): Promise<Decision>;
export async function decide(db: Db, req: DecideInput[], opts?: { askedBy?: string }): Promise<Decision[]>;
export async function decide(
  db: Db,
  req: DecideInput | DecideInput[],
  opts: { askedBy?: string } = {},
): Promise<Decision | Decision[]> {
  const list = Array.isArray(req) ? req : [req];
  const engine = freshAuthorityEngine(db) ?? (await getAuthorityEngine(db));
  let full = list.map((r) => (r.at ? (r as DecisionRequest) : { ...r, at: new Date() }));
  // Most requests bring all their answer depends on: only a missing case history is waited for.
  if (full.some((r) => lacksHistory(engine, r))) {
    const histories = new Map<string, Promise<CaseHistoryEvent[]>>();
    full = await Promise.all(full.map((r) => withHistory(db, engine, r, histories)));
  }
  const problems: { path: string; message: string }[] = [];
  const decisions: Decision[] = [];
  full.forEach((r, i) => {
    try {
      decisions.push(engine.decide(r));
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'UNPROCESSABLE') throw e;
      const prefix = Array.isArray(req) ? `[${i}].` : '';
      for (const p of e.errors ?? [{ path: '', message: e.message }])
        problems.push({ path: `${prefix}${p.path}`, message: p.message });
    }
  });
  if (problems.length) {
    throw new AppError('UNPROCESSABLE', problems.map((p) => p.message).join('; '), problems);
  }
  const askedBy = opts.askedBy ?? 'system';
  // Queued, not yet stored (see recorder.ts): only a full queue makes the answer wait.
  const backlog = recordDecisions(
    db,
    full.map((r, i) => ({ req: r, decision: decisions[i], askedBy })),
  );
  if (backlog) await backlog;
  return Array.isArray(req) ? decisions : decisions[0];
}

/**
 * What a staff member may do at an instant (授权清单): every item x action with the way it is held,
 * the rule, its case conditions and the days between which it holds.
 */
export async function scope(db: Db, staff: string, at: Date = new Date()): Promise<Scope> {
  return (await getAuthorityEngine(db)).scope(staff, at);
}
