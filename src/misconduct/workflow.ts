/**
 * The workflow of a matter: registered -> assigned (to an inspector not concerned in it) ->
 * investigating (notes, evidence) -> proposed (level, factors, responsibility; the grading
 * explained) -> decided (by a leader who is not the proposer: four eyes) -> notified -> appealed
 * (申诉/复核, within the policy period) -> closed. Every verb runs in one transaction that locks the
 * matter, checks the stage and the actor, records the transition with its new deadline, and
 * audits.
 *
 * @example
 * const ctx = { who: principal, today: '2026-03-02', policy: misconductPolicy() };
 * await assignMatter(db, ctx, 7, { inspector: 'wang' });
 * await startInvestigation(db, wangCtx, 7);
 * await proposeMatter(db, wangCtx, 7, { faultType: 'late-completion', factors: ['intent'], summary: '...' });
 * await decideMatter(db, leaderCtx, 7, {});
 */
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../db/client.ts';
import { getStaff } from '../org/service.ts';
import { appendAudit } from '../platform/audit.ts';
import { listUsers } from '../platform/auth.ts';
import { AppError, type FieldProblem, zodIssuesToProblems } from '../platform/errors.ts';
import {
  actorString,
  type Ctx,
  expectState,
  lockMatter,
  type Matter,
  priorLevelsOf,
  recordTransition,
} from './common.ts';
import { addWorkingDays, stageDue } from './deadlines.ts';
import { issueDecisionDocuments } from './decision-doc.ts';
import {
  authorityChanged,
  endEffects,
  liftMatterSuspensions,
  startEffects,
  syncSuspensions,
} from './effects.ts';
import { checkGradeInput, type GradeLine, grade } from './grade.ts';
import {
  type MatterState,
  matterKinds,
  misconductAppeals,
  misconductComplainants,
  misconductMatters,
  misconductNotes,
  misconductPersons,
  type ProposalRecord,
} from './schema.ts';

const parse = <T extends z.ZodType>(schema: T, input: unknown): z.output<T> => {
  const r = schema.safeParse(input);
  if (!r.success) throw AppError.validation(zodIssuesToProblems(r.error.issues));
  return r.data;
};

/** Runs a verb in a transaction; tells authority to rebuild afterwards when suspensions changed. */
async function run<T>(db: Db, fn: (tx: Tx) => Promise<T>, touchesAuthority = false): Promise<T> {
  const out = await db.transaction(fn);
  if (touchesAuthority) authorityChanged();
  return out;
}

const isUser = (ctx: Ctx) => ctx.who.kind === 'user';

/** Only the assigned inspector works on the matter. */
function expectAssignee(ctx: Ctx, m: Matter) {
  if (!isUser(ctx) || m.inspector !== ctx.who.name)
    throw new AppError('FORBIDDEN', `only the assigned inspector (${m.inspector ?? 'none yet'}) may do this`);
}

/** Is `staffNo` concerned in the matter (as a person concerned, or as its internal reporter)? */
const concerned = (m: Matter, staffNo: string | null | undefined) => !!staffNo && m.staff.includes(staffNo);

// ---- assignment -------------------------------------------------------------------------------

export const assignSchema = z.strictObject({ inspector: z.string().min(1).max(100) });

/** Assigns (or reassigns, before a proposal) the matter to an inspector not concerned in it. */
export async function assignMatter(db: Db, ctx: Ctx, id: number, input: z.input<typeof assignSchema>) {
  const { inspector } = parse(assignSchema, input);
  const user = (await listUsers(db)).find((u) => u.name === inspector);
  if (!user?.active || user.role !== 'inspector')
    throw AppError.validation([{ path: 'inspector', message: `${inspector} is not an active inspector` }]);
  return run(db, async (tx) => {
    const m = await lockMatter(tx, id);
    expectState(m, ['registered', 'assigned', 'investigating'], 'assign it');
    if (concerned(m, user.staffNo))
      throw new AppError('CONFLICT', `${inspector} is concerned in matter ${id} and may not investigate it`, [
        { path: 'inspector', message: 'concerned in the matter (回避)' },
      ]);
    const reporter = await reporterStaff(tx, id);
    if (reporter && reporter === user.staffNo)
      throw new AppError('CONFLICT', `${inspector} reported matter ${id} and may not investigate it`, [
        { path: 'inspector', message: 'reported the matter (回避)' },
      ]);
    // Reassigning during the investigation keeps the stage; a new assignment starts "assigned".
    const to: MatterState = m.state === 'investigating' ? 'investigating' : 'assigned';
    await recordTransition(tx, ctx, m, to, {
      action: 'misconduct.assign',
      set: { inspector: user.name, inspectorStaff: user.staffNo },
      note: m.inspector ? `${m.inspector} -> ${user.name}` : user.name,
      dueOn: to === m.state && to === 'investigating' ? m.dueOn : stageDue(ctx.policy, to, ctx.today),
      content: { inspector: user.name },
    });
    return { id, state: to, inspector: user.name };
  });
}

async function reporterStaff(tx: Tx, id: number) {
  const [c] = await tx
    .select({ staffNo: misconductComplainants.staffNo })
    .from(misconductComplainants)
    .where(eq(misconductComplainants.matterId, id));
  return c?.staffNo ?? null;
}

/** The assigned inspector begins the investigation. */
export async function startInvestigation(db: Db, ctx: Ctx, id: number) {
  return run(db, async (tx) => {
    const m = await lockMatter(tx, id);
    expectState(m, ['assigned'], 'start the investigation');
    expectAssignee(ctx, m);
    await recordTransition(tx, ctx, m, 'investigating', { action: 'misconduct.investigate' });
    return { id, state: 'investigating' as const };
  });
}

// ---- investigation ----------------------------------------------------------------------------

const personSchema = z.strictObject({
  staff: z.string().min(1).max(40),
  responsibility: z.enum(['handler', 'reviewer', 'approver']).default('handler'),
});

export const updateSchema = z.strictObject({
  kind: z.enum(matterKinds).optional(),
  faultType: z.string().min(1).nullable().optional(),
  cases: z.array(z.string().min(1).max(60)).max(50).optional(),
  persons: z.array(personSchema).max(20).optional(),
});

/** The inspector corrects what the matter is about: kind, fault type, cases, people concerned. */
export async function updateMatter(db: Db, ctx: Ctx, id: number, input: z.input<typeof updateSchema>) {
  const data = parse(updateSchema, input);
  const problems: FieldProblem[] = [];
  if (data.faultType && !ctx.policy.faultTypes.some((f) => f.code === data.faultType))
    problems.push({ path: 'faultType', message: `unknown fault type ${data.faultType}` });
  if (data.persons) problems.push(...(await checkPersons(db, data.persons)));
  if (problems.length) throw AppError.validation(problems);
  return run(db, async (tx) => {
    const m = await lockMatter(tx, id);
    expectState(m, ['assigned', 'investigating'], 'change it');
    expectAssignee(ctx, m);
    if (data.persons) await setPersons(tx, m, data.persons);
    const set: Partial<typeof misconductMatters.$inferInsert> = {};
    if (data.kind) set.kind = data.kind;
    if (data.faultType !== undefined) set.faultType = data.faultType;
    if (data.cases) set.cases = [...new Set(data.cases)];
    if (Object.keys(set).length)
      await tx.update(misconductMatters).set(set).where(eq(misconductMatters.id, id));
    await appendAudit(tx, {
      actor: actorString(ctx.who),
      action: 'misconduct.update',
      entity: 'misconduct_matter',
      entityId: String(id),
      content: data,
    });
    return { id };
  });
}

async function checkPersons(db: Db | Tx, persons: { staff: string }[]): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const [i, p] of persons.entries()) {
    if (seen.has(p.staff)) problems.push({ path: `persons[${i}].staff`, message: `${p.staff} named twice` });
    seen.add(p.staff);
    if (!(await getStaff(db, p.staff)))
      problems.push({ path: `persons[${i}].staff`, message: `no staff ${p.staff}` });
  }
  return problems;
}

/** Replaces the people concerned; the assigned inspector may never be one of them. */
async function setPersons(tx: Tx, m: Matter, persons: { staff: string; responsibility: string }[]) {
  const nos = persons.map((p) => p.staff);
  if (m.inspectorStaff && nos.includes(m.inspectorStaff))
    throw new AppError(
      'CONFLICT',
      `the assigned inspector ${m.inspector} is concerned; reassign the matter first`,
      [{ path: 'persons', message: 'names the assigned inspector' }],
    );
  if (nos.length)
    await tx
      .delete(misconductPersons)
      .where(and(eq(misconductPersons.matterId, m.id), notInArray(misconductPersons.staffNo, nos)));
  else await tx.delete(misconductPersons).where(eq(misconductPersons.matterId, m.id));
  for (const p of persons) {
    await tx
      .insert(misconductPersons)
      .values({ matterId: m.id, staffNo: p.staff, responsibility: p.responsibility })
      .onConflictDoUpdate({
        target: [misconductPersons.matterId, misconductPersons.staffNo],
        set: { responsibility: p.responsibility },
      });
  }
  await tx.update(misconductMatters).set({ staff: nos }).where(eq(misconductMatters.id, m.id));
  m.staff = nos;
}

export const noteSchema = z.strictObject({ text: z.string().trim().min(1).max(10_000) });

/** An investigation note of the assigned inspector. */
export async function addNote(db: Db, ctx: Ctx, id: number, input: z.input<typeof noteSchema>) {
  const { text } = parse(noteSchema, input);
  return run(db, async (tx) => {
    const m = await lockMatter(tx, id);
    expectState(
      m,
      ['assigned', 'investigating', 'proposed', 'decided', 'notified', 'appealed'],
      'add a note',
    );
    expectAssignee(ctx, m);
    const [note] = await tx
      .insert(misconductNotes)
      .values({ matterId: id, author: actorString(ctx.who), text })
      .returning();
    await appendAudit(tx, {
      actor: actorString(ctx.who),
      action: 'misconduct.note',
      entity: 'misconduct_matter',
      entityId: String(id),
      content: { note: note.id, text },
    });
    return note;
  });
}

// ---- proposal ---------------------------------------------------------------------------------

const levelValue = z.union([z.number().int().min(0), z.literal('exempt')]);

export const proposeSchema = z.strictObject({
  unfounded: z.boolean().default(false),
  faultType: z.string().min(1).optional(),
  severity: z.string().min(1).optional(),
  factors: z.array(z.string()).max(20).default([]),
  exemptions: z.array(z.string()).max(20).default([]),
  summary: z.string().trim().min(1).max(10_000),
  persons: z
    .array(
      personSchema.extend({
        /** The inspector's level, when it departs from the computed one. */
        level: levelValue.optional(),
        departureReason: z.string().trim().min(1).max(5000).optional(),
      }),
    )
    .max(20)
    .optional(),
});
export type ProposeInput = z.input<typeof proposeSchema>;

export interface PersonGrade {
  staff: string;
  responsibility: string;
  computed: number | 'exempt';
  lines: GradeLine[];
  proposed: number | 'exempt';
  departureReason: string | null;
}

/**
 * Grades everyone concerned without changing anything: what a proposal would say, line by line.
 */
export async function previewGrades(
  db: Db | Tx,
  ctx: Ctx,
  m: Matter,
  input: ProposeInput,
): Promise<PersonGrade[]> {
  const data = parse(proposeSchema, input);
  const problems: FieldProblem[] = [];
  const faultType = data.faultType ?? m.faultType ?? undefined;
  const persons =
    data.persons ??
    (await db.select().from(misconductPersons).where(eq(misconductPersons.matterId, m.id))).map((p) => ({
      staff: p.staffNo,
      responsibility: p.responsibility as 'handler' | 'reviewer' | 'approver',
      level: undefined,
      departureReason: undefined,
    }));
  if (!data.unfounded) {
    if (!faultType)
      problems.push({ path: 'faultType', message: 'name the fault type (or mark the matter unfounded)' });
    else
      problems.push(
        ...checkGradeInput(ctx.policy, {
          faultType,
          severity: data.severity,
          factors: data.factors,
          exemptions: data.exemptions,
          on: ctx.today,
        }),
      );
    if (!persons.length)
      problems.push({ path: 'persons', message: 'name the staff concerned (or mark the matter unfounded)' });
  }
  problems.push(...(await checkPersons(db, persons)));
  const max = ctx.policy.levels.length;
  persons.forEach((p, i) => {
    if (typeof p.level === 'number' && p.level > max)
      problems.push({ path: `persons[${i}].level`, message: `at most ${max}` });
  });
  if (problems.length) throw AppError.validation(problems);

  const out: PersonGrade[] = [];
  for (const [i, p] of persons.entries()) {
    let computed: number | 'exempt';
    let lines: GradeLine[];
    if (data.unfounded) {
      computed = 0;
      lines = [{ kind: 'base', code: 'unfounded', text: '查无实据，不予处理', delta: 0 }];
    } else {
      const r = grade(ctx.policy, {
        faultType: faultType!,
        severity: data.severity,
        factors: data.factors,
        exemptions: data.exemptions,
        priorLevels: await priorLevelsOf(db, p.staff, m.id),
        responsibility: p.responsibility,
        on: ctx.today,
      });
      computed = r.level;
      lines = r.lines;
    }
    const proposed = p.level ?? computed;
    const departs = proposed !== computed;
    if (departs && !p.departureReason)
      problems.push({
        path: `persons[${i}].departureReason`,
        message: `the level ${proposed} departs from the computed ${computed}: give the reason in writing`,
      });
    out.push({
      staff: p.staff,
      responsibility: p.responsibility,
      computed,
      lines,
      proposed,
      departureReason: departs ? (p.departureReason ?? null) : null,
    });
  }
  if (problems.length) throw AppError.validation(problems);
  return out;
}

const levelCols = (v: number | 'exempt') =>
  v === 'exempt' ? { level: null, exempt: true } : { level: v, exempt: false };

/** The assigned inspector proposes the handling; a person heading for level 6 is suspended. */
export async function proposeMatter(db: Db, ctx: Ctx, id: number, input: ProposeInput) {
  const data = parse(proposeSchema, input);
  return run(
    db,
    async (tx) => {
      const m = await lockMatter(tx, id);
      expectState(m, ['investigating'], 'propose its handling');
      expectAssignee(ctx, m);
      const grades = await previewGrades(tx, ctx, m, data);
      await setPersons(
        tx,
        m,
        grades.map((g) => ({ staff: g.staff, responsibility: g.responsibility })),
      );
      for (const g of grades) {
        const c = levelCols(g.computed);
        const p = levelCols(g.proposed);
        await tx
          .update(misconductPersons)
          .set({
            computedLevel: c.level,
            computedExempt: c.exempt,
            lines: g.lines,
            proposedLevel: p.level,
            proposedExempt: p.exempt,
            departureReason: g.departureReason,
            decidedLevel: null,
            decidedExempt: false,
            decisionReason: null,
          })
          .where(and(eq(misconductPersons.matterId, id), eq(misconductPersons.staffNo, g.staff)));
      }
      const proposal: ProposalRecord = {
        faultType: data.faultType ?? m.faultType,
        severity: data.severity ?? null,
        factors: data.unfounded ? [] : data.factors,
        exemptions: data.unfounded ? [] : data.exemptions,
        unfounded: data.unfounded,
        summary: data.summary,
        proposedBy: ctx.who.name,
        proposedByStaff: ctx.who.staffNo,
        proposedOn: ctx.today,
      };
      await syncSuspensions(
        tx,
        ctx,
        m,
        grades.map((g) => ({ staffNo: g.staff, ...levelOf(g.proposed) })),
      );
      await recordTransition(tx, ctx, m, 'proposed', {
        action: 'misconduct.propose',
        set: { proposal, faultType: proposal.faultType },
        content: { proposal, persons: grades },
      });
      return { id, state: 'proposed' as const, persons: grades };
    },
    true,
  );
}

const levelOf = (v: number | 'exempt') =>
  v === 'exempt' ? { level: 0, exempt: true } : { level: v, exempt: false };

// ---- decision (four eyes) -----------------------------------------------------------------------

/** The decider is neither the proposer nor concerned (四眼原则, 回避). */
function expectFourEyes(ctx: Ctx, m: Matter, others: { name: string | null; staffNo: string | null }[]) {
  if (!isUser(ctx)) throw new AppError('FORBIDDEN', 'a decision is made by a leader, logged in');
  for (const o of others) {
    if ((o.name && o.name === ctx.who.name) || (o.staffNo && o.staffNo === ctx.who.staffNo))
      throw new AppError(
        'FORBIDDEN',
        `${ctx.who.name} took part in this matter and may not decide it (four eyes)`,
      );
  }
  if (concerned(m, ctx.who.staffNo))
    throw new AppError('FORBIDDEN', `${ctx.who.name} is concerned in matter ${m.id} and may not decide it`);
}

export const decideSchema = z.strictObject({
  note: z.string().trim().max(10_000).optional(),
  /** Where the leader departs from the proposal: the level and the written reason. */
  persons: z
    .array(
      z.strictObject({
        staff: z.string().min(1),
        level: levelValue,
        reason: z.string().trim().min(1).max(5000),
      }),
    )
    .max(20)
    .optional(),
});

/**
 * A leader decides: the proposal stands, or departs for named persons with a written reason.
 * Lifts suspensions, starts the effects and issues a decision document (处理决定书) per person.
 */
export async function decideMatter(db: Db, ctx: Ctx, id: number, input: z.input<typeof decideSchema>) {
  const data = parse(decideSchema, input);
  return run(
    db,
    async (tx) => {
      const m = await lockMatter(tx, id);
      expectState(m, ['proposed'], 'decide it');
      expectFourEyes(ctx, m, [
        { name: m.proposal?.proposedBy ?? null, staffNo: m.proposal?.proposedByStaff ?? null },
        { name: m.inspector, staffNo: m.inspectorStaff },
      ]);
      const persons = await tx.select().from(misconductPersons).where(eq(misconductPersons.matterId, id));
      const problems: FieldProblem[] = [];
      const max = ctx.policy.levels.length;
      (data.persons ?? []).forEach((o, i) => {
        if (!persons.some((p) => p.staffNo === o.staff))
          problems.push({
            path: `persons[${i}].staff`,
            message: `${o.staff} is not concerned in this matter`,
          });
        if (typeof o.level === 'number' && o.level > max)
          problems.push({ path: `persons[${i}].level`, message: `at most ${max}` });
      });
      if (problems.length) throw AppError.validation(problems);

      const decided: { staffNo: string; level: number; exempt: boolean }[] = [];
      for (const p of persons) {
        const o = data.persons?.find((x) => x.staff === p.staffNo);
        const proposed = p.proposedExempt ? ('exempt' as const) : (p.proposedLevel ?? 0);
        const final = o ? o.level : proposed;
        const cols = levelCols(final);
        const departs = final !== proposed;
        await tx
          .update(misconductPersons)
          .set({
            decidedLevel: cols.level,
            decidedExempt: cols.exempt,
            decisionReason: departs ? o!.reason : null,
            finalLevel: cols.level,
            finalExempt: cols.exempt,
          })
          .where(and(eq(misconductPersons.matterId, id), eq(misconductPersons.staffNo, p.staffNo)));
        decided.push({ staffNo: p.staffNo, ...levelOf(final) });
      }
      await liftMatterSuspensions(tx, ctx, m, `decided on ${ctx.today}`);
      for (const d of decided) await startEffects(tx, ctx, m, d, ctx.today);
      const decidedMatter = {
        ...m,
        decidedBy: ctx.who.name,
        decidedByStaff: ctx.who.staffNo,
        decidedOn: ctx.today,
        decisionNote: data.note ?? null,
      };
      const documents = await issueDecisionDocuments(tx, ctx, decidedMatter, { kind: 'decision' });
      await recordTransition(tx, ctx, m, 'decided', {
        action: 'misconduct.decide',
        note: data.note ?? null,
        set: {
          decidedBy: ctx.who.name,
          decidedByStaff: ctx.who.staffNo,
          decidedOn: ctx.today,
          decisionNote: data.note ?? null,
        },
        content: { persons: decided, documents },
      });
      return { id, state: 'decided' as const, persons: decided, documents };
    },
    true,
  );
}

export const returnSchema = z.strictObject({ reason: z.string().trim().min(1).max(5000) });

/** A leader sends the proposal back for more investigation (退回补充调查). */
export async function returnProposal(db: Db, ctx: Ctx, id: number, input: z.input<typeof returnSchema>) {
  const { reason } = parse(returnSchema, input);
  return run(db, async (tx) => {
    const m = await lockMatter(tx, id);
    expectState(m, ['proposed'], 'return it');
    expectFourEyes(ctx, m, [
      { name: m.proposal?.proposedBy ?? null, staffNo: m.proposal?.proposedByStaff ?? null },
    ]);
    await recordTransition(tx, ctx, m, 'investigating', {
      action: 'misconduct.return',
      note: reason,
      content: { reason },
    });
    return { id, state: 'investigating' as const };
  });
}

// ---- notification, appeal, closure ------------------------------------------------------------

export const notifySchema = z.strictObject({
  notifiedOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .optional(),
  /** What the complainant is told, with their tracking code. */
  publicReply: z.string().trim().min(1).max(5000).optional(),
});

/** The inspector records that the decision was delivered (送达); the appeal period starts. */
export async function notifyMatter(db: Db, ctx: Ctx, id: number, input: z.input<typeof notifySchema>) {
  const data = parse(notifySchema, input);
  return run(db, async (tx) => {
    const m = await lockMatter(tx, id);
    expectState(m, ['decided'], 'record its notification');
    expectAssignee(ctx, m);
    const on = data.notifiedOn ?? ctx.today;
    if (on < m.decidedOn! || on > ctx.today)
      throw AppError.validation([
        { path: 'notifiedOn', message: `between the decision (${m.decidedOn}) and today (${ctx.today})` },
      ]);
    const appealUntil = addWorkingDays(on, ctx.policy.appeal.withinWorkingDays);
    await recordTransition(tx, ctx, m, 'notified', {
      action: 'misconduct.notify',
      set: { notifiedOn: on, appealUntil, publicReply: data.publicReply ?? m.publicReply },
      dueOn: appealUntil,
      content: { notifiedOn: on, appealUntil },
    });
    return { id, state: 'notified' as const, notifiedOn: on, appealUntil };
  });
}

export const appealSchema = z.strictObject({
  staff: z.string().min(1),
  grounds: z.string().trim().min(1).max(10_000),
});

/** The person concerned appeals (申诉), themself or through the inspector, within the period. */
export async function fileAppeal(db: Db, ctx: Ctx, id: number, input: z.input<typeof appealSchema>) {
  const data = parse(appealSchema, input);
  return run(db, async (tx) => {
    const m = await lockMatter(tx, id);
    expectState(m, ['notified', 'appealed'], 'appeal');
    const self = isUser(ctx) && ctx.who.staffNo === data.staff;
    if (!self && !(isUser(ctx) && m.inspector === ctx.who.name))
      throw new AppError(
        'FORBIDDEN',
        'an appeal is filed by the person concerned or by the assigned inspector',
      );
    if (!m.staff.includes(data.staff))
      throw AppError.validation([
        { path: 'staff', message: `${data.staff} is not concerned in this matter` },
      ]);
    if (ctx.today > m.appealUntil!)
      throw new AppError('CONFLICT', `the appeal period ended on ${m.appealUntil}`);
    const [exists] = await tx
      .select()
      .from(misconductAppeals)
      .where(and(eq(misconductAppeals.matterId, id), eq(misconductAppeals.staffNo, data.staff)));
    if (exists) throw new AppError('CONFLICT', `${data.staff} has already appealed this decision`);
    const [appeal] = await tx
      .insert(misconductAppeals)
      .values({
        matterId: id,
        staffNo: data.staff,
        grounds: data.grounds,
        filedOn: ctx.today,
        filedBy: actorString(ctx.who),
      })
      .returning();
    await recordTransition(tx, ctx, m, 'appealed', {
      action: 'misconduct.appeal',
      note: data.staff,
      dueOn: m.state === 'appealed' ? m.dueOn : stageDue(ctx.policy, 'appealed', ctx.today),
      content: { appeal: appeal.id, staff: data.staff, grounds: data.grounds },
    });
    return { id, state: 'appealed' as const, appeal: appeal.id };
  });
}

export const appealDecisionSchema = z
  .strictObject({
    staff: z.string().min(1),
    outcome: z.enum(['upheld', 'changed', 'revoked']),
    level: levelValue.optional(),
    reason: z.string().trim().min(1).max(10_000),
  })
  .superRefine((d, c) => {
    if (d.outcome === 'changed' && d.level === undefined)
      c.addIssue({ code: 'custom', path: ['level'], message: 'a changed decision names the new level' });
  });

/**
 * A leader decides an appeal (复核): upheld, changed (new level) or revoked. A change ends the old
 * effects and starts the new, with a new decision document that supersedes the old one.
 */
export async function decideAppeal(
  db: Db,
  ctx: Ctx,
  id: number,
  input: z.input<typeof appealDecisionSchema>,
) {
  const data = parse(appealDecisionSchema, input);
  return run(
    db,
    async (tx) => {
      const m = await lockMatter(tx, id);
      expectState(m, ['appealed'], 'decide an appeal');
      expectFourEyes(ctx, m, [
        { name: m.decidedBy, staffNo: m.decidedByStaff },
        { name: m.proposal?.proposedBy ?? null, staffNo: m.proposal?.proposedByStaff ?? null },
      ]);
      const [appeal] = await tx
        .select()
        .from(misconductAppeals)
        .where(and(eq(misconductAppeals.matterId, id), eq(misconductAppeals.staffNo, data.staff)));
      if (appeal?.outcome !== 'pending')
        throw new AppError('CONFLICT', `no pending appeal of ${data.staff} in matter ${id}`);
      const [person] = await tx
        .select()
        .from(misconductPersons)
        .where(and(eq(misconductPersons.matterId, id), eq(misconductPersons.staffNo, data.staff)));
      const before = person.finalExempt ? ('exempt' as const) : (person.finalLevel ?? 0);
      const after = data.outcome === 'upheld' ? before : data.outcome === 'revoked' ? 0 : data.level!;
      if (data.outcome === 'changed' && after === before)
        throw AppError.validation([{ path: 'level', message: `the decision already says ${before}` }]);
      if (typeof after === 'number' && after > ctx.policy.levels.length)
        throw AppError.validation([{ path: 'level', message: `at most ${ctx.policy.levels.length}` }]);
      const cols = levelCols(after);
      await tx
        .update(misconductAppeals)
        .set({
          outcome: data.outcome,
          newLevel: data.outcome === 'upheld' ? null : cols.level,
          newExempt: data.outcome === 'upheld' ? false : cols.exempt,
          reason: data.reason,
          decidedBy: ctx.who.name,
          decidedOn: ctx.today,
        })
        .where(eq(misconductAppeals.id, appeal.id));
      let documents: { staff: string; number: string }[] = [];
      if (after !== before) {
        await tx
          .update(misconductPersons)
          .set({ finalLevel: cols.level, finalExempt: cols.exempt })
          .where(and(eq(misconductPersons.matterId, id), eq(misconductPersons.staffNo, data.staff)));
        await endEffects(tx, ctx, id, data.staff, `appeal ${data.outcome} on ${ctx.today}`);
        // The bar still covers the year of the original decision.
        await startEffects(
          tx,
          ctx,
          m,
          { staffNo: data.staff, ...levelOf(after) },
          ctx.today,
          Number(m.decidedOn!.slice(0, 4)),
        );
        documents = await issueDecisionDocuments(tx, ctx, m, {
          kind: 'appeal',
          only: data.staff,
          appeal: {
            outcome: data.outcome,
            reason: data.reason,
            decidedBy: ctx.who.name,
            decidedOn: ctx.today,
          },
        });
      }
      const pending = await tx
        .select({ id: misconductAppeals.id })
        .from(misconductAppeals)
        .where(and(eq(misconductAppeals.matterId, id), eq(misconductAppeals.outcome, 'pending')));
      const to: MatterState = pending.length
        ? 'appealed'
        : ctx.today > m.appealUntil!
          ? 'closed'
          : 'notified';
      await recordTransition(tx, ctx, m, to, {
        action: 'misconduct.appeal.decide',
        note: `${data.staff}: ${data.outcome}`,
        set: to === 'closed' ? { closedOn: ctx.today } : {},
        dueOn: to === 'notified' ? m.appealUntil : to === 'closed' ? null : m.dueOn,
        content: { staff: data.staff, outcome: data.outcome, before, after, documents },
      });
      return { id, state: to, staff: data.staff, outcome: data.outcome, level: after, documents };
    },
    true,
  );
}

/** Closes a notified matter once its appeal period has passed with no appeal pending. */
export async function closeMatter(db: Db, ctx: Ctx, id: number) {
  return run(db, async (tx) => {
    const m = await lockMatter(tx, id);
    expectState(m, ['notified'], 'close it');
    if (ctx.who.kind === 'user') expectAssignee(ctx, m);
    if (ctx.today <= m.appealUntil!)
      throw new AppError('CONFLICT', `the appeal period runs until ${m.appealUntil}; close it after that`);
    await recordTransition(tx, ctx, m, 'closed', {
      action: 'misconduct.close',
      set: { closedOn: ctx.today },
      dueOn: null,
    });
    return { id, state: 'closed' as const };
  });
}

/** The job: closes every notified matter whose appeal period has passed. */
export async function closeExpired(db: Db, ctx: Ctx): Promise<number[]> {
  const due = await db
    .select({ id: misconductMatters.id, until: misconductMatters.appealUntil })
    .from(misconductMatters)
    .where(inArray(misconductMatters.state, ['notified']));
  const closed: number[] = [];
  for (const d of due) {
    if (d.until && ctx.today > d.until) {
      await closeMatter(db, ctx, d.id);
      closed.push(d.id);
    }
  }
  return closed;
}
