/**
 * What each role sees of a matter. Inspectors and leaders (who may read every matter) see it
 * whole, except the complainant's identity (privacy.ts); a staff member sees only their own
 * decided matters, with their own level and documents and no one else's; HR sees levels and
 * effects (effects.ts), never facts.
 *
 * @example
 * await matterDetail(db, 7, principal, '2026-03-02') // { view: 'full', matter: {...}, persons: [...], ... }
 * await listMatters(db, { light: ['red'] }, '2026-03-02')
 */
import { subject } from '@casl/ability';
import { and, asc, desc, eq, inArray, isNotNull, lt, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { getStaff } from '../org/service.ts';
import { AppError } from '../platform/errors.ts';
import type { Principal } from '../platform/http.ts';
import { getMatter, type Matter } from './common.ts';
import { type Light, stageLight } from './deadlines.ts';
import { listEvidence } from './evidence.ts';
import { levelName, type MisconductPolicy } from './policy.ts';
import { complainantSummary, maySeeComplainant } from './privacy.ts';
import {
  type MatterSource,
  type MatterState,
  misconductAppeals,
  misconductEffects,
  misconductMatters,
  misconductNotes,
  misconductPersons,
  misconductTransitions,
} from './schema.ts';

/** May this principal read every matter (not just their own)? */
export function readsAll(p: Pick<Principal, 'ability'>): boolean {
  // A conditional grant (a clerk's own matters) does not match a subject nobody is concerned in.
  return p.ability.can('read', subject('Misconduct', { staff: '\u0000nobody', decided: true }) as any);
}

/** May a staff member read this matter as their own (concerned, decided)? */
export function readsOwn(p: Pick<Principal, 'ability' | 'staffNo'>, m: Matter): boolean {
  if (!p.staffNo || !m.staff.includes(p.staffNo) || !m.decidedOn) return false;
  return p.ability.can('read', subject('Misconduct', { staff: p.staffNo, decided: true }) as any);
}

const levelValue = (level: number | null, exempt: boolean) => (exempt ? ('exempt' as const) : level);

function personOut(policy: MisconductPolicy, p: typeof misconductPersons.$inferSelect, name: string | null) {
  const final = levelValue(p.finalLevel, p.finalExempt);
  return {
    staff: p.staffNo,
    name,
    responsibility: p.responsibility,
    computed: levelValue(p.computedLevel, p.computedExempt),
    lines: p.lines,
    proposed: levelValue(p.proposedLevel, p.proposedExempt),
    departureReason: p.departureReason,
    decided: levelValue(p.decidedLevel, p.decidedExempt),
    decisionReason: p.decisionReason,
    final,
    finalName: final === null ? null : levelName(policy, final),
    documentNumber: p.documentNumber,
  };
}

function matterOut(m: Matter, today: string) {
  return {
    id: m.id,
    kind: m.kind,
    source: m.source,
    sourceRef: m.sourceRef,
    facts: m.facts,
    faultType: m.faultType,
    cases: m.cases,
    staff: m.staff,
    concernedHint: m.concernedHint,
    state: m.state,
    stageSince: m.stageSince,
    dueOn: m.dueOn,
    light: stageLight(m.dueOn, today),
    receivedOn: m.receivedOn,
    inspector: m.inspector,
    proposal: m.proposal,
    decidedBy: m.decidedBy,
    decidedOn: m.decidedOn,
    decisionNote: m.decisionNote,
    notifiedOn: m.notifiedOn,
    appealUntil: m.appealUntil,
    closedOn: m.closedOn,
    publicReply: m.publicReply,
  };
}

/**
 * One matter as `p` may see it; FORBIDDEN (or NOT_FOUND for someone with no claim on it) otherwise.
 */
export async function matterDetail(
  db: DbOrTx,
  id: number,
  p: Principal,
  today: string,
  policy: MisconductPolicy,
) {
  const m = await getMatter(db, id);
  const names = async (nos: string[]) =>
    new Map(await Promise.all(nos.map(async (n) => [n, (await getStaff(db, n))?.name ?? null] as const)));
  const persons = await db
    .select()
    .from(misconductPersons)
    .where(eq(misconductPersons.matterId, id))
    .orderBy(asc(misconductPersons.staffNo));
  const nameOf = await names(persons.map((x) => x.staffNo));
  if (readsAll(p)) {
    const [transitions, notes, evidence, effects, appeals, complainant] = await Promise.all([
      db
        .select()
        .from(misconductTransitions)
        .where(eq(misconductTransitions.matterId, id))
        .orderBy(asc(misconductTransitions.id)),
      db
        .select()
        .from(misconductNotes)
        .where(eq(misconductNotes.matterId, id))
        .orderBy(asc(misconductNotes.id)),
      listEvidence(db, id),
      db
        .select()
        .from(misconductEffects)
        .where(eq(misconductEffects.matterId, id))
        .orderBy(asc(misconductEffects.id)),
      db
        .select()
        .from(misconductAppeals)
        .where(eq(misconductAppeals.matterId, id))
        .orderBy(asc(misconductAppeals.id)),
      complainantSummary(db, id),
    ]);
    return {
      view: 'full' as const,
      matter: matterOut(m, today),
      persons: persons.map((x) => personOut(policy, x, nameOf.get(x.staffNo) ?? null)),
      complainant: { ...complainant, visibleToYou: complainant.present && maySeeComplainant(m, p) },
      transitions,
      notes,
      evidence,
      effects,
      appeals,
      mayDecide: m.state === 'proposed' && mayDecide(m, p),
    };
  }
  if (readsOwn(p, m)) {
    const mine = persons.filter((x) => x.staffNo === p.staffNo);
    const [effects, appeals] = await Promise.all([
      db
        .select()
        .from(misconductEffects)
        .where(and(eq(misconductEffects.matterId, id), eq(misconductEffects.staffNo, p.staffNo!)))
        .orderBy(asc(misconductEffects.id)),
      db
        .select()
        .from(misconductAppeals)
        .where(and(eq(misconductAppeals.matterId, id), eq(misconductAppeals.staffNo, p.staffNo!))),
    ]);
    const out = matterOut(m, today);
    return {
      view: 'own' as const,
      matter: {
        id: out.id,
        kind: out.kind,
        facts: out.facts,
        faultType: out.faultType,
        cases: out.cases,
        state: out.state,
        decidedOn: out.decidedOn,
        notifiedOn: out.notifiedOn,
        appealUntil: out.appealUntil,
        closedOn: out.closedOn,
        summary: m.proposal?.summary ?? null,
      },
      persons: mine.map((x) => personOut(policy, x, nameOf.get(x.staffNo) ?? null)),
      effects,
      appeals,
      mayAppeal:
        (m.state === 'notified' || m.state === 'appealed') &&
        !!m.appealUntil &&
        today <= m.appealUntil &&
        appeals.length === 0,
    };
  }
  if (p.staffNo && m.staff.includes(p.staffNo))
    throw new AppError('FORBIDDEN', 'your matter is not decided yet');
  if (p.kind === 'public') throw new AppError('UNAUTHENTICATED', 'log in first');
  throw new AppError('FORBIDDEN', `role ${p.role} may not read matter ${id}`);
}

/** A leader who is not the proposer, not the investigator and not concerned may decide. */
export function mayDecide(m: Matter, p: Pick<Principal, 'kind' | 'name' | 'staffNo' | 'ability'>): boolean {
  if (p.kind !== 'user' || !p.ability.can('decide', 'Misconduct')) return false;
  const others = [
    { name: m.proposal?.proposedBy, staff: m.proposal?.proposedByStaff },
    { name: m.inspector, staff: m.inspectorStaff },
  ];
  if (others.some((o) => (o.name && o.name === p.name) || (o.staff && o.staff === p.staffNo))) return false;
  return !(p.staffNo && m.staff.includes(p.staffNo));
}

export interface MatterFilters {
  state?: MatterState[];
  source?: MatterSource[];
  light?: Light[];
  inspector?: string;
  staff?: string;
  faultType?: string;
  receivedFrom?: string;
  receivedTo?: string;
}

/** Matters for inspectors and leaders, most urgent first (earliest due). */
export async function listMatters(
  db: DbOrTx,
  f: MatterFilters,
  today: string,
  opts: { limit?: number; offset?: number } = {},
) {
  const where: (SQL | undefined)[] = [
    f.state?.length ? inArray(misconductMatters.state, f.state) : undefined,
    f.source?.length ? inArray(misconductMatters.source, f.source) : undefined,
    f.inspector ? eq(misconductMatters.inspector, f.inspector) : undefined,
    f.staff ? sql`${f.staff} = any(${misconductMatters.staff})` : undefined,
    f.faultType ? eq(misconductMatters.faultType, f.faultType) : undefined,
    f.receivedFrom ? sql`${misconductMatters.receivedOn} >= ${f.receivedFrom}` : undefined,
    f.receivedTo ? sql`${misconductMatters.receivedOn} <= ${f.receivedTo}` : undefined,
  ];
  const rows = await db
    .select()
    .from(misconductMatters)
    .where(and(...where))
    .orderBy(sql`${misconductMatters.dueOn} asc nulls last`, desc(misconductMatters.id));
  const all = rows
    .map((m) => ({
      id: m.id,
      kind: m.kind,
      source: m.source,
      state: m.state,
      faultType: m.faultType,
      staff: m.staff,
      cases: m.cases,
      inspector: m.inspector,
      receivedOn: m.receivedOn,
      stageSince: m.stageSince,
      dueOn: m.dueOn,
      light: stageLight(m.dueOn, today),
      summary: m.facts.length > 80 ? `${m.facts.slice(0, 80)}…` : m.facts,
    }))
    .filter((m) => !f.light?.length || f.light.includes(m.light));
  const offset = opts.offset ?? 0;
  const limit = Math.min(opts.limit ?? 100, 500);
  return { total: all.length, rows: all.slice(offset, offset + limit) };
}

/** The leader's queue: proposals awaiting a decision, with whether this leader may decide each. */
export async function decisionQueue(db: DbOrTx, p: Principal, today: string, policy: MisconductPolicy) {
  const rows = await db
    .select()
    .from(misconductMatters)
    .where(inArray(misconductMatters.state, ['proposed', 'appealed']))
    .orderBy(sql`${misconductMatters.dueOn} asc nulls last`, asc(misconductMatters.id));
  const out = [];
  for (const m of rows) {
    const persons = await db.select().from(misconductPersons).where(eq(misconductPersons.matterId, m.id));
    out.push({
      id: m.id,
      state: m.state,
      kind: m.kind,
      faultType: m.faultType,
      proposedBy: m.proposal?.proposedBy ?? null,
      inspector: m.inspector,
      dueOn: m.dueOn,
      light: stageLight(m.dueOn, today),
      persons: persons.map((x) => {
        const lv = levelValue(x.proposedLevel, x.proposedExempt);
        return {
          staff: x.staffNo,
          proposed: lv,
          proposedName: lv === null ? null : levelName(policy, lv),
          responsibility: x.responsibility,
        };
      }),
      mayDecide: m.state === 'proposed' ? mayDecide(m, p) : mayDecideAppeal(m, p),
    });
  }
  return out;
}

function mayDecideAppeal(m: Matter, p: Principal) {
  if (!mayDecide(m, p)) return false;
  return !((m.decidedBy && m.decidedBy === p.name) || (m.decidedByStaff && m.decidedByStaff === p.staffNo));
}

/** A staff member's own decided matters (their record), newest first. */
export async function ownMatters(db: DbOrTx, staffNo: string, policy: MisconductPolicy, today: string) {
  const rows = await db
    .select({ m: misconductMatters, p: misconductPersons })
    .from(misconductPersons)
    .innerJoin(misconductMatters, eq(misconductMatters.id, misconductPersons.matterId))
    .where(and(eq(misconductPersons.staffNo, staffNo), isNotNull(misconductMatters.decidedOn)))
    .orderBy(desc(misconductMatters.decidedOn), desc(misconductMatters.id));
  return rows.map(({ m, p }) => {
    const final = levelValue(p.finalLevel, p.finalExempt);
    return {
      id: m.id,
      kind: m.kind,
      faultType: m.faultType,
      state: m.state,
      decidedOn: m.decidedOn,
      appealUntil: m.appealUntil,
      final,
      finalName: final === null ? null : levelName(policy, final),
      documentNumber: p.documentNumber,
      mayAppeal:
        (m.state === 'notified' || m.state === 'appealed') && !!m.appealUntil && today <= m.appealUntil,
    };
  });
}

/** Matters whose stage is overdue on `today` (for a daily job or the bulletin). */
export async function overdueMatters(db: DbOrTx, today: string) {
  return db
    .select({
      id: misconductMatters.id,
      state: misconductMatters.state,
      dueOn: misconductMatters.dueOn,
      inspector: misconductMatters.inspector,
    })
    .from(misconductMatters)
    .where(and(isNotNull(misconductMatters.dueOn), lt(misconductMatters.dueOn, today)))
    .orderBy(asc(misconductMatters.dueOn));
}
