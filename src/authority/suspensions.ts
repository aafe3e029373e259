/**
 * Suspensions of authority (暂停审批权限): while one lasts, the staff member may do nothing at all.
 * The misconduct module sets them (a case heading for level 6 suspends until it is decided) and
 * lifts them. Both are audited, and both tables are append-only, so replays see the history.
 *
 * Inside a caller's transaction (a Tx), they run in a savepoint; the caller calls
 * `invalidateAuthority()` again once its transaction has committed.
 *
 * @example
 * const s = await suspend(db, { staff: 'S012', from: '2026-03-02', reason: '移送行政处分待决', ref: 'MC-2026-0007' }, 'user:inspector');
 * await liftSuspension(db, s.id, 'user:leader');
 */
import { and, asc, eq, isNull, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { getBureau, getStaff } from '../org/service.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { invalidateAuthority } from './generation.ts';
import { authoritySuspensionLifts, authoritySuspensions } from './schema.ts';
import { startOfLocalDay } from './time.ts';

export interface SuspendInput {
  staff: string;
  /** An instant, or a date `YYYY-MM-DD` (from the start of that day in the bureau's zone); default now. */
  from?: Date | string;
  reason: string;
  /** What it rests on, e.g. a misconduct case number. */
  ref?: string | null;
}

export interface Suspension {
  id: number;
  staff: string;
  from: Date;
  reason: string;
  ref: string | null;
  createdBy: string;
  liftedAt: Date | null;
  liftedBy: string | null;
}

async function instant(db: DbOrTx, value: Date | string | undefined, path: string): Promise<Date> {
  if (value === undefined) return new Date();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw AppError.validation([{ path, message: 'not a valid instant' }]);
    return value;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const tz = (await getBureau(db))?.timeZone ?? 'Asia/Shanghai';
    const d = startOfLocalDay(value, tz);
    if (d) return d;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value))) {
    return new Date(value);
  }
  throw AppError.validation([{ path, message: 'must be a date YYYY-MM-DD or an ISO instant' }]);
}

/** Suspends a staff member's authority from `from` on. */
export async function suspend(db: DbOrTx, input: SuspendInput, actor: string): Promise<Suspension> {
  const problems = [];
  if (!input.staff) problems.push({ path: 'staff', message: 'name the staff member' });
  if (!input.reason?.trim()) problems.push({ path: 'reason', message: 'give the reason' });
  if (problems.length) throw AppError.validation(problems);
  const from = await instant(db, input.from, 'from');
  const row = await db.transaction(async (tx) => {
    if (!(await getStaff(tx, input.staff)))
      throw new AppError('UNPROCESSABLE', `unknown staff ${input.staff}`, [
        { path: 'staff', message: 'not in the organisation' },
      ]);
    const [created] = await tx
      .insert(authoritySuspensions)
      .values({
        staffNo: input.staff,
        from,
        reason: input.reason.trim(),
        ref: input.ref ?? null,
        createdBy: actor,
      })
      .returning();
    await appendAudit(tx, {
      actor,
      action: 'authority.suspend',
      entity: 'authority_suspension',
      entityId: String(created.id),
      content: {
        staff: created.staffNo,
        from: created.from.toISOString(),
        reason: created.reason,
        ref: created.ref,
      },
    });
    return created;
  });
  invalidateAuthority();
  return {
    id: row.id,
    staff: row.staffNo,
    from: row.from,
    reason: row.reason,
    ref: row.ref,
    createdBy: row.createdBy,
    liftedAt: null,
    liftedBy: null,
  };
}

/** Ends a suspension at `at` (default now). A suspension is lifted once. */
export async function liftSuspension(
  db: DbOrTx,
  id: number,
  actor: string,
  opts: { at?: Date | string; note?: string } = {},
): Promise<Suspension> {
  const at = await instant(db, opts.at, 'at');
  const result = await db.transaction(async (tx) => {
    const [s] = await tx.select().from(authoritySuspensions).where(eq(authoritySuspensions.id, id));
    if (!s) throw new AppError('NOT_FOUND', `no suspension ${id}`);
    const [lifted] = await tx
      .select()
      .from(authoritySuspensionLifts)
      .where(eq(authoritySuspensionLifts.suspensionId, id));
    if (lifted) throw new AppError('CONFLICT', `suspension ${id} was lifted at ${lifted.at.toISOString()}`);
    if (at < s.from) {
      const message = `a suspension cannot end before it starts (${s.from.toISOString()})`;
      throw AppError.validation([{ path: 'at', message }], message);
    }
    await tx
      .insert(authoritySuspensionLifts)
      .values({ suspensionId: id, at, note: opts.note ?? null, createdBy: actor });
    await appendAudit(tx, {
      actor,
      action: 'authority.suspension.lift',
      entity: 'authority_suspension',
      entityId: String(id),
      content: { staff: s.staffNo, liftedAt: at.toISOString(), note: opts.note ?? null },
    });
    return { s, at };
  });
  invalidateAuthority();
  const { s } = result;
  return {
    id: s.id,
    staff: s.staffNo,
    from: s.from,
    reason: s.reason,
    ref: s.ref,
    createdBy: s.createdBy,
    liftedAt: result.at,
    liftedBy: actor,
  };
}

/** Suspensions, oldest first, of one staff member or all; `open` for those not lifted. */
export async function listSuspensions(
  db: DbOrTx,
  opts: { staff?: string; open?: boolean } = {},
): Promise<Suspension[]> {
  const where: SQL[] = [];
  if (opts.staff) where.push(eq(authoritySuspensions.staffNo, opts.staff));
  if (opts.open) where.push(isNull(authoritySuspensionLifts.suspensionId));
  const rows = await db
    .select({ s: authoritySuspensions, lift: authoritySuspensionLifts })
    .from(authoritySuspensions)
    .leftJoin(authoritySuspensionLifts, eq(authoritySuspensionLifts.suspensionId, authoritySuspensions.id))
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(authoritySuspensions.from), asc(authoritySuspensions.id));
  return rows.map(({ s, lift }) => ({
    id: s.id,
    staff: s.staffNo,
    from: s.from,
    reason: s.reason,
    ref: s.ref,
    createdBy: s.createdBy,
    liftedAt: lift?.at ?? null,
    liftedBy: lift?.createdBy ?? null,
  }));
}
