/**
 * What every misconduct verb shares: who is acting, on which day, loading a matter under a row
 * lock, and recording a change of stage (transition row, new deadline, audit entry) in the
 * transaction that made it.
 */
import { and, eq, isNotNull, ne } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import type { Principal } from '../platform/http.ts';
import { stageDue } from './deadlines.ts';
import type { MisconductPolicy } from './policy.ts';
import { type MatterState, misconductMatters, misconductPersons, misconductTransitions } from './schema.ts';

/** Who acts: a logged-in user, an API token, the CLI or a job. */
export type Who = Pick<Principal, 'kind' | 'name' | 'role' | 'staffNo'>;

export interface Ctx {
  who: Who;
  /** The bureau's local date of the action (YYYY-MM-DD). */
  today: string;
  policy: MisconductPolicy;
  /** Where the public verify page lives (config.publicUrl), for the QR code of documents. */
  publicUrl?: string;
}

export type Matter = typeof misconductMatters.$inferSelect;

/** `user:NAME`, `token:NAME`, `public`, or the name of a job (`cli`, `system`). */
export function actorString(who: Who): string {
  if (who.kind === 'public') return 'public';
  return who.kind === 'user' || who.kind === 'token' ? `${who.kind}:${who.name}` : who.name;
}

/** The clock of the routes and jobs; tests move it to reach deadlines and appeal periods. */
export const misconductClock = { now: () => new Date() };

/** A job or the command line acting on its own. */
export const systemWho = (name = 'system'): Who => ({ kind: 'token', name, role: 'system', staffNo: null });

export async function getMatter(db: DbOrTx, id: number): Promise<Matter> {
  const [m] = await db.select().from(misconductMatters).where(eq(misconductMatters.id, id));
  if (!m) throw new AppError('NOT_FOUND', `no misconduct matter ${id}`);
  return m;
}

/** The matter, locked for the rest of the transaction (two leaders cannot both decide it). */
export async function lockMatter(tx: Tx, id: number): Promise<Matter> {
  const [m] = await tx.select().from(misconductMatters).where(eq(misconductMatters.id, id)).for('update');
  if (!m) throw new AppError('NOT_FOUND', `no misconduct matter ${id}`);
  return m;
}

/** Throws CONFLICT unless the matter is in one of `states`. */
export function expectState(m: Matter, states: readonly MatterState[], verb: string) {
  if (!states.includes(m.state))
    throw new AppError(
      'CONFLICT',
      `matter ${m.id} is ${m.state}; it must be ${states.join(' or ')} to ${verb}`,
    );
}

/** Moves a matter to `to` (or records a step within a stage), with its new deadline, and audits. */
export async function recordTransition(
  tx: Tx,
  ctx: Ctx,
  m: Matter,
  to: MatterState,
  opts: {
    note?: string | null;
    set?: Partial<typeof misconductMatters.$inferInsert>;
    dueOn?: string | null;
    action: string;
    content?: unknown;
  },
) {
  const moving = to !== m.state;
  const dueOn =
    opts.dueOn !== undefined ? opts.dueOn : moving ? stageDue(ctx.policy, to, ctx.today) : m.dueOn;
  await tx
    .update(misconductMatters)
    .set({ ...opts.set, state: to, ...(moving ? { stageSince: ctx.today } : {}), dueOn })
    .where(eq(misconductMatters.id, m.id));
  await tx.insert(misconductTransitions).values({
    matterId: m.id,
    fromState: m.state,
    toState: to,
    actor: actorString(ctx.who),
    on: ctx.today,
    note: opts.note ?? null,
  });
  await appendAudit(tx, {
    actor: actorString(ctx.who),
    action: opts.action,
    entity: 'misconduct_matter',
    entityId: String(m.id),
    content: { from: m.state, to, on: ctx.today, ...(opts.content as object) },
  });
}

/** Someone's decided levels in other matters, for the repeat rule. */
export async function priorLevelsOf(db: DbOrTx, staffNo: string, exceptMatter: number) {
  const rows = await db
    .select({
      decidedOn: misconductMatters.decidedOn,
      level: misconductPersons.finalLevel,
      exempt: misconductPersons.finalExempt,
    })
    .from(misconductPersons)
    .innerJoin(misconductMatters, eq(misconductMatters.id, misconductPersons.matterId))
    .where(
      and(
        eq(misconductPersons.staffNo, staffNo),
        ne(misconductMatters.id, exceptMatter),
        isNotNull(misconductMatters.decidedOn),
      ),
    );
  return rows.map((r) => ({
    decidedOn: r.decidedOn!,
    level: r.exempt ? ('exempt' as const) : (r.level ?? 0),
  }));
}
