/**
 * The complainant's identity (投诉举报人信息) is personal data, and reporters need protection from
 * retaliation: it is read only through `complainantOf`, which lets in the assigned inspector and
 * the leader who decided the matter, and writes every read to the audit log. The staff concerned
 * and HR never see it. Some years after a matter closes (policy `privacy.eraseComplainantAfterYears`),
 * `eraseExpiredComplainants` blanks it, leaving an audit entry that it was done.
 *
 * @example
 * await complainantOf(db, 7, principal)        // { anonymous: false, name: '李某', phone: '1380000...', ... }
 * await eraseExpiredComplainants(db, ctx)      // [3, 5]: matters whose complainant data was erased
 */
import { and, eq, isNull, lte } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { actorString, type Ctx, getMatter, type Matter, type Who } from './common.ts';
import { addMonths } from './grade.ts';
import { misconductComplainants, misconductMatters } from './schema.ts';

/** Whether `who` may see the identity: the assigned inspector or the deciding leader. */
export function maySeeComplainant(m: Pick<Matter, 'inspector' | 'decidedBy'>, who: Who): boolean {
  if (who.kind !== 'user') return false;
  if (who.role === 'inspector') return !!m.inspector && m.inspector === who.name;
  if (who.role === 'leader') return !!m.decidedBy && m.decidedBy === who.name;
  return false;
}

/** What anyone allowed to read the matter may know: whether there is a complainant, no more. */
export async function complainantSummary(db: DbOrTx, matterId: number) {
  const [c] = await db
    .select({ anonymous: misconductComplainants.anonymous, erasedAt: misconductComplainants.erasedAt })
    .from(misconductComplainants)
    .where(eq(misconductComplainants.matterId, matterId));
  return c
    ? { present: true, anonymous: c.anonymous, erased: !!c.erasedAt }
    : { present: false, anonymous: false, erased: false };
}

/** The identity, for the assigned inspector or the deciding leader only; every read is audited. */
export async function complainantOf(db: Db, matterId: number, who: Who) {
  const m = await getMatter(db, matterId);
  if (!maySeeComplainant(m, who))
    throw new AppError('FORBIDDEN', 'only the assigned inspector and the deciding leader see who complained');
  return db.transaction(async (tx) => {
    const [c] = await tx
      .select()
      .from(misconductComplainants)
      .where(eq(misconductComplainants.matterId, matterId));
    if (!c) throw new AppError('NOT_FOUND', `matter ${matterId} has no complainant`);
    await appendAudit(tx, {
      actor: actorString(who),
      action: 'misconduct.complainant.read',
      entity: 'misconduct_matter',
      entityId: String(matterId),
      content: { read: true },
    });
    return {
      anonymous: c.anonymous,
      name: c.name,
      phone: c.phone,
      email: c.email,
      staffNo: c.staffNo,
      erased: !!c.erasedAt,
    };
  });
}

/** Blanks the complainant data of matters closed longer ago than the policy period. */
export async function eraseExpiredComplainants(db: Db, ctx: Ctx): Promise<number[]> {
  const closedBy = addMonths(ctx.today, -12 * ctx.policy.privacy.eraseComplainantAfterYears);
  const due = await db
    .select({ id: misconductMatters.id })
    .from(misconductMatters)
    .innerJoin(misconductComplainants, eq(misconductComplainants.matterId, misconductMatters.id))
    .where(
      and(
        eq(misconductMatters.state, 'closed'),
        lte(misconductMatters.closedOn, closedBy),
        isNull(misconductComplainants.erasedAt),
      ),
    );
  const ids = due.map((d) => d.id);
  if (!ids.length) return [];
  await db.transaction(async (tx) => {
    for (const id of ids) {
      await tx
        .update(misconductComplainants)
        .set({ name: null, phone: null, email: null, staffNo: null, erasedAt: new Date() })
        .where(eq(misconductComplainants.matterId, id));
    }
    await appendAudit(
      tx,
      ids.map((id) => ({
        actor: actorString(ctx.who),
        action: 'misconduct.complainant.erase',
        entity: 'misconduct_matter',
        entityId: String(id),
        content: { erasedOn: ctx.today, closedOnOrBefore: closedBy },
      })),
    );
  });
  return ids;
}
