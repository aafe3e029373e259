/**
 * Effects of a matter on the people concerned: the 评优评先 bar for the year of the decision (any
 * level), the rotation planner's must-move list (level 5: 调离工作岗位或离岗培训), a referral for
 * administrative sanction (level 6), and, while a proposal heads for level 6, a suspension of
 * authority (src/authority honours it) until the leader decides. Which level does what comes
 * from the policy (`levels[].effects`). An appeal that changes a decision ends the old effects and
 * starts the new ones; nothing is deleted.
 *
 * @example
 * await listMustMove(db, '2026-04-01')   // [{ staff: 'S007', reason: '...', matterId: 3, level: 5 }]
 * await isBarredFromMerit(db, 'S007', 2026) // true
 */
import { and, asc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import { invalidateAuthority } from '../authority/generation.ts';
import { liftSuspension, suspend } from '../authority/suspensions.ts';
import type { Db, DbOrTx, Tx } from '../db/client.ts';
import { appendAudit } from '../platform/audit.ts';
import { actorString, type Ctx, type Matter } from './common.ts';
import { bureauToday } from './intake.ts';
import { effectsOf, levelName, type MisconductPolicy, misconductPolicy } from './policy.ts';
import { type EffectType, misconductEffects, misconductMatters, misconductPersons } from './schema.ts';

export interface PersonLevel {
  staffNo: string;
  level: number;
  exempt: boolean;
}

/** Starts the effects of a decided level for one person. */
export async function startEffects(
  tx: Tx,
  ctx: Ctx,
  m: Matter,
  p: PersonLevel,
  on: string,
  year = Number(on.slice(0, 4)),
) {
  if (p.exempt || p.level < 1) return;
  const rows: (typeof misconductEffects.$inferInsert)[] = [];
  const base = { matterId: m.id, staffNo: p.staffNo, level: p.level, fromOn: on };
  for (const e of effectsOf(ctx.policy, p.level)) {
    if (e === 'merit_bar') rows.push({ ...base, kind: 'merit_bar', year });
    if (e === 'must_move') rows.push({ ...base, kind: 'must_move' });
    if (e === 'refer_for_sanction') rows.push({ ...base, kind: 'sanction_referral' });
  }
  if (!rows.length) return;
  await tx.insert(misconductEffects).values(rows);
  await appendAudit(tx, {
    actor: actorString(ctx.who),
    action: 'misconduct.effects.start',
    entity: 'misconduct_matter',
    entityId: String(m.id),
    content: { staff: p.staffNo, level: p.level, kinds: rows.map((r) => r.kind), on },
  });
}

/** Ends a person's active effects from a matter (all kinds, or those listed). */
export async function endEffects(
  tx: Tx,
  ctx: Ctx,
  matterId: number,
  staffNo: string,
  reason: string,
  kinds?: EffectType[],
) {
  const active = await tx
    .select()
    .from(misconductEffects)
    .where(
      and(
        eq(misconductEffects.matterId, matterId),
        eq(misconductEffects.staffNo, staffNo),
        eq(misconductEffects.active, true),
        kinds ? inArray(misconductEffects.kind, kinds) : undefined,
      ),
    );
  for (const e of active) {
    if (e.kind === 'suspension' && e.ref) await lift(tx, ctx, Number(e.ref), reason);
    await tx
      .update(misconductEffects)
      .set({ active: false, endedOn: ctx.today, endedReason: reason })
      .where(eq(misconductEffects.id, e.id));
  }
  if (active.length)
    await appendAudit(tx, {
      actor: actorString(ctx.who),
      action: 'misconduct.effects.end',
      entity: 'misconduct_matter',
      entityId: String(matterId),
      content: { staff: staffNo, ids: active.map((e) => e.id), reason, on: ctx.today },
    });
  return active.length;
}

async function lift(tx: Tx, ctx: Ctx, suspensionId: number, note: string) {
  // A lift cannot precede the suspension; for a future-dated action, lift at its start.
  const at = ctx.today > (await bureauToday(tx)) ? ctx.today : undefined;
  await liftSuspension(tx as unknown as Db, suspensionId, actorString(ctx.who), { at, note });
}

/** Whether a proposed level means "heading for" a level that suspends authority until decided. */
export const suspendsWhileHeading = (policy: MisconductPolicy, level: number | null, exempt: boolean) =>
  !exempt && level !== null && effectsOf(policy, level).includes('suspend_until_decided');

/**
 * Brings suspensions in line with the proposal: a person heading for a suspending level is
 * suspended (once), anyone else's suspension from this matter is lifted.
 */
export async function syncSuspensions(tx: Tx, ctx: Ctx, m: Matter, persons: PersonLevel[]) {
  for (const p of persons) {
    const [open] = await tx
      .select()
      .from(misconductEffects)
      .where(
        and(
          eq(misconductEffects.matterId, m.id),
          eq(misconductEffects.staffNo, p.staffNo),
          eq(misconductEffects.kind, 'suspension'),
          eq(misconductEffects.active, true),
        ),
      );
    const heading = suspendsWhileHeading(ctx.policy, p.level, p.exempt);
    if (heading && !open) {
      const s = await suspend(
        tx as unknown as Db,
        {
          staff: p.staffNo,
          from: ctx.today,
          reason: `处理建议为${p.level}级（${levelName(ctx.policy, p.level)}），待决定 / heading for level ${p.level}`,
          ref: `misconduct:${m.id}`,
        },
        actorString(ctx.who),
      );
      await tx.insert(misconductEffects).values({
        matterId: m.id,
        staffNo: p.staffNo,
        kind: 'suspension',
        level: p.level,
        fromOn: ctx.today,
        ref: String(s.id),
      });
    } else if (!heading && open) {
      await endEffects(tx, ctx, m.id, p.staffNo, 'proposal no longer heads for a suspending level', [
        'suspension',
      ]);
    }
  }
}

/** Ends every suspension a matter holds (its decision is made). */
export async function liftMatterSuspensions(tx: Tx, ctx: Ctx, m: Matter, reason: string) {
  const open = await tx
    .select({ staffNo: misconductEffects.staffNo })
    .from(misconductEffects)
    .where(
      and(
        eq(misconductEffects.matterId, m.id),
        eq(misconductEffects.kind, 'suspension'),
        eq(misconductEffects.active, true),
      ),
    );
  for (const { staffNo } of open) await endEffects(tx, ctx, m.id, staffNo, reason, ['suspension']);
}

/** Tells the authority engine to rebuild (after our transaction committed a suspension change). */
export const authorityChanged = () => invalidateAuthority();

export interface MustMove {
  staff: string;
  reason: string;
  matterId: number;
  level: number;
}

/**
 * Who must move on `onDate`: everyone with a decided level whose effects include must_move, in
 * force that day (decided on or before it, not ended by an appeal by then). For the rotation
 * planner.
 *
 * @example
 * await listMustMove(db, '2026-04-01') // [{ staff: 'S007', reason: '处理决定 泉建纪〔2026〕3号：调离工作岗位或离岗培训', matterId: 3, level: 5 }]
 */
export async function listMustMove(db: DbOrTx, onDate: string): Promise<MustMove[]> {
  const rows = await db
    .select({ e: misconductEffects, number: misconductPersons.documentNumber })
    .from(misconductEffects)
    .leftJoin(
      misconductPersons,
      and(
        eq(misconductPersons.matterId, misconductEffects.matterId),
        eq(misconductPersons.staffNo, misconductEffects.staffNo),
      ),
    )
    .where(
      and(
        eq(misconductEffects.kind, 'must_move'),
        lte(misconductEffects.fromOn, onDate),
        or(isNull(misconductEffects.endedOn), gt(misconductEffects.endedOn, onDate)),
      ),
    )
    .orderBy(asc(misconductEffects.fromOn), asc(misconductEffects.id));
  const policy = misconductPolicy();
  return rows.map(({ e, number }) => ({
    staff: e.staffNo,
    reason: `处理决定${number ? ` ${number}` : ''}：${levelName(policy, e.level ?? 0)}`,
    matterId: e.matterId,
    level: e.level ?? 0,
  }));
}

/**
 * Whether a staff member is barred from 评优评先 in `year` by a decided matter still in force.
 *
 * @example
 * await isBarredFromMerit(db, 'S007', 2026) // true
 */
export async function isBarredFromMerit(db: DbOrTx, staff: string, year: number): Promise<boolean> {
  const [row] = await db
    .select({ id: misconductEffects.id })
    .from(misconductEffects)
    .where(
      and(
        eq(misconductEffects.staffNo, staff),
        eq(misconductEffects.kind, 'merit_bar'),
        eq(misconductEffects.year, year),
        eq(misconductEffects.active, true),
      ),
    )
    .limit(1);
  return !!row;
}

/** HR's view: levels and effects, never facts or complainants. */
export async function effectsOverview(
  db: DbOrTx,
  opts: { staff?: string; year?: number; activeOnly?: boolean } = {},
) {
  const rows = await db
    .select({
      e: misconductEffects,
      decidedOn: misconductMatters.decidedOn,
      state: misconductMatters.state,
      level: misconductPersons.finalLevel,
      exempt: misconductPersons.finalExempt,
      number: misconductPersons.documentNumber,
    })
    .from(misconductEffects)
    .innerJoin(misconductMatters, eq(misconductMatters.id, misconductEffects.matterId))
    .leftJoin(
      misconductPersons,
      and(
        eq(misconductPersons.matterId, misconductEffects.matterId),
        eq(misconductPersons.staffNo, misconductEffects.staffNo),
      ),
    )
    .where(
      and(
        opts.staff ? eq(misconductEffects.staffNo, opts.staff) : undefined,
        opts.activeOnly ? eq(misconductEffects.active, true) : undefined,
      ),
    )
    .orderBy(asc(misconductEffects.staffNo), asc(misconductEffects.fromOn), asc(misconductEffects.id));
  return rows
    .filter((r) => opts.year === undefined || (r.e.year ?? Number(r.e.fromOn.slice(0, 4))) === opts.year)
    .map((r) => ({
      id: r.e.id,
      staff: r.e.staffNo,
      matterId: r.e.matterId,
      kind: r.e.kind,
      level: r.e.level,
      finalLevel: r.exempt ? ('exempt' as const) : r.level,
      year: r.e.year,
      from: r.e.fromOn,
      endedOn: r.e.endedOn,
      endedReason: r.e.endedReason,
      active: r.e.active,
      decidedOn: r.decidedOn,
      documentNumber: r.number,
    }));
}
