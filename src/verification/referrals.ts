/**
 * From finding to misconduct. Misconduct comes after verification in the dependency order, so it
 * PULLS verification's failures through `listFailuresForReferral` and registers a matter for each
 * (idempotently, by `ref`). The ref names the case and the check, not the run, so a re-run that
 * finds the same failure hands over the same ref and opens nothing new.
 *
 * @example
 * const page = await listFailuresForReferral(db, { sinceRunId: 0 });
 * page.items[0] // { runId: 3, caseNo: 'QZJS-2026-000004', check: 'timely', faultType: 'late-completion',
 *               //   staff: ['S029'], detail: '办结于…', ref: 'verification:QZJS-2026-000004:timely' }
 * // misconduct: registerMatter(db, { source: 'verification', sourceRef: item.ref, staff: item.staff, ... })
 */
import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import { appendAudit } from '../platform/audit.ts';
import type { CheckName } from './policy.ts';
import { verificationFindings, verificationReferrals, verificationRunStatus } from './schema.ts';

export interface ReferralItem {
  /** The latest finished run that found it. */
  runId: number;
  caseNo: string;
  check: CheckName;
  faultType: string;
  staff: string[];
  detail: string;
  detailEn: string;
  /** What the wording was made from (for `authorized`: the denied events, with their seq). */
  params: Record<string, unknown>;
  /** The idempotency key: `verification:${caseNo}:${check}`. */
  ref: string;
}

export const referralRef = (caseNo: string, check: string) => `verification:${caseNo}:${check}`;

/**
 * Failures of finished runs after `sinceRunId` (default all), one per case and check (from the
 * latest run that found it), in ref order; page with `after` (the last ref seen).
 */
export async function listFailuresForReferral(
  db: DbOrTx,
  opts: { sinceRunId?: number; after?: string; limit?: number } = {},
): Promise<{ items: ReferralItem[]; next: string | null }> {
  const limit = Math.min(Math.max(opts.limit ?? 1000, 1), 10_000);
  const after = opts.after ?? '';
  const rows = await queryRows<{
    run_id: number;
    case_no: string;
    check: string;
    fault_type: string;
    staff: string[];
    detail: string;
    detail_en: string;
    params: Record<string, unknown>;
    ref: string;
  }>(
    db,
    sql`select * from (
          select distinct on (f.case_no, f.check) f.run_id, f.case_no, f.check, f.fault_type, f.staff,
            f.detail, f.detail_en, f.params, 'verification:' || f.case_no || ':' || f.check as ref
          from ${verificationFindings} f
          join ${verificationRunStatus} s on s.run_id = f.run_id and s.status = 'done'
          where f.run_id > ${opts.sinceRunId ?? 0}
          order by f.case_no, f.check, f.run_id desc
        ) q where q.ref > ${after} order by q.ref limit ${limit + 1}`,
  );
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      runId: r.run_id,
      caseNo: r.case_no,
      check: r.check as CheckName,
      faultType: r.fault_type,
      staff: r.staff,
      detail: r.detail,
      detailEn: r.detail_en,
      params: r.params,
      ref: r.ref,
    })),
    next: rows.length > limit ? (page.at(-1)?.ref ?? null) : null,
  };
}

/**
 * The highest run id at or below which every run has ended (done or failed): a puller that has
 * taken everything up to it need only ask `sinceRunId` it next time. A run still going holds the
 * mark below itself, whatever ends after it.
 *
 * @example
 * const mark = await settledRunId(db); // runs 1-7 ended, 8 running, 9 done -> 7
 */
export async function settledRunId(db: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ id: number }>(
    db,
    sql`select coalesce(
          (select min(run_id) - 1 from ${verificationRunStatus} where status not in ('done', 'failed')),
          (select max(run_id) from ${verificationRunStatus}),
          0)::int as id`,
  );
  return row.id;
}

/**
 * What misconduct tells verification about the refs it has taken (registered as matters). It is
 * set by whoever wires the two together (misconduct is later in the dependency order, so it
 * registers itself here, as the case ledger does for authority's case history).
 */
export interface ReferralTracker {
  /** The refs among `refs` that misconduct has registered a matter for. */
  taken(db: DbOrTx, refs: string[]): Promise<Set<string>>;
}

let tracker: ReferralTracker | null = null;

/** Registers (or clears) the tracker that says which refs misconduct has taken. */
export function setReferralTracker(t: ReferralTracker | null): void {
  tracker = t;
}

/** Records that an inspector referred a finding (with the matter misconduct registered). Audited. */
export async function recordReferral(
  db: Db,
  input: { runId: number; caseNo: string; check: CheckName; matterId: number | null },
  actor: string,
): Promise<{ ref: string; created: boolean }> {
  const ref = referralRef(input.caseNo, input.check);
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(verificationReferrals)
      .values({
        ref,
        runId: input.runId,
        caseNo: input.caseNo,
        check: input.check,
        matterId: input.matterId,
        referredBy: actor,
      })
      .onConflictDoNothing()
      .returning({ ref: verificationReferrals.ref });
    if (inserted.length)
      await appendAudit(tx, {
        actor,
        action: 'verification.refer',
        entity: 'verification_referral',
        entityId: ref,
        content: { ...input },
      });
    return { ref, created: inserted.length > 0 };
  });
}

/**
 * Failures still waiting for misconduct: neither referred from the workbench nor taken by
 * misconduct (when a tracker is registered). One per case and check, latest run first found.
 *
 * @example
 * const { items, total } = await pendingReferrals(db, { runId: 7 });
 */
export async function pendingReferrals(
  db: DbOrTx,
  opts: { runId?: number; limit?: number } = {},
): Promise<{ items: ReferralItem[]; total: number; trackerConnected: boolean }> {
  const rows = await queryRows<{
    run_id: number;
    case_no: string;
    check: string;
    fault_type: string;
    staff: string[];
    detail: string;
    detail_en: string;
    params: Record<string, unknown>;
    ref: string;
  }>(
    db,
    sql`select q.* from (
          select distinct on (f.case_no, f.check) f.run_id, f.case_no, f.check, f.fault_type, f.staff,
            f.detail, f.detail_en, f.params, 'verification:' || f.case_no || ':' || f.check as ref
          from ${verificationFindings} f
          join ${verificationRunStatus} s on s.run_id = f.run_id and s.status = 'done'
          ${opts.runId ? sql`where f.run_id = ${opts.runId}` : sql``}
          order by f.case_no, f.check, f.run_id desc
        ) q
        where not exists (select 1 from ${verificationReferrals} r where r.ref = q.ref)
        order by q.ref`,
  );
  let items = rows.map((r) => ({
    runId: r.run_id,
    caseNo: r.case_no,
    check: r.check as CheckName,
    faultType: r.fault_type,
    staff: r.staff,
    detail: r.detail,
    detailEn: r.detail_en,
    params: r.params,
    ref: r.ref,
  }));
  if (tracker && items.length) {
    const taken = await tracker.taken(
      db,
      items.map((i) => i.ref),
    );
    items = items.filter((i) => !taken.has(i.ref));
  }
  return {
    items: items.slice(0, opts.limit ?? 500),
    total: items.length,
    trackerConnected: tracker !== null,
  };
}

/** The workbench's referrals of a run (ref -> matter). */
export async function referralsOf(db: DbOrTx, runId: number) {
  return db.select().from(verificationReferrals).where(eq(verificationReferrals.runId, runId));
}
