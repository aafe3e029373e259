/**
 * Statistics for inspectors and leaders: matters by source, month received and state; decisions
 * (one per person concerned) by level, fault type, department and month decided. Levels in force
 * after appeals are what count.
 *
 * @example
 * await misconductStats(db, { from: '2026-01-01', to: '2026-12-31' })
 * // { matters: { total: 12, bySource: { public: 5, ... }, byMonth: { '2026-03': 4 }, ... },
 * //   decisions: { total: 9, byLevel: { '1': 3, exempt: 1 }, byFaultType: {...}, byDepartment: {...}, byMonth: {...} } }
 */
import { and, eq, gte, isNotNull, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { getStaff } from '../org/service.ts';
import { misconductMatters, misconductPersons } from './schema.ts';

type Counts = Record<string, number>;

const bump = (c: Counts, k: string) => {
  c[k] = (c[k] ?? 0) + 1;
};

export async function misconductStats(db: DbOrTx, range: { from?: string; to?: string } = {}) {
  const matters = await db
    .select({
      source: misconductMatters.source,
      kind: misconductMatters.kind,
      state: misconductMatters.state,
      receivedOn: misconductMatters.receivedOn,
    })
    .from(misconductMatters)
    .where(
      and(
        range.from ? gte(misconductMatters.receivedOn, range.from) : undefined,
        range.to ? lte(misconductMatters.receivedOn, range.to) : undefined,
      ),
    );
  const m = {
    total: matters.length,
    bySource: {} as Counts,
    byKind: {} as Counts,
    byState: {} as Counts,
    byMonth: {} as Counts,
  };
  for (const r of matters) {
    bump(m.bySource, r.source);
    bump(m.byKind, r.kind);
    bump(m.byState, r.state);
    bump(m.byMonth, r.receivedOn.slice(0, 7));
  }
  const decided = await db
    .select({
      staffNo: misconductPersons.staffNo,
      level: misconductPersons.finalLevel,
      exempt: misconductPersons.finalExempt,
      faultType: sql<
        string | null
      >`coalesce(${misconductMatters.proposal}->>'faultType', ${misconductMatters.faultType})`,
      decidedOn: misconductMatters.decidedOn,
    })
    .from(misconductPersons)
    .innerJoin(misconductMatters, eq(misconductMatters.id, misconductPersons.matterId))
    .where(
      and(
        isNotNull(misconductMatters.decidedOn),
        range.from ? gte(misconductMatters.decidedOn, range.from) : undefined,
        range.to ? lte(misconductMatters.decidedOn, range.to) : undefined,
      ),
    );
  const departments = new Map<string, string>();
  for (const no of new Set(decided.map((d) => d.staffNo)))
    departments.set(no, (await getStaff(db, no))?.department ?? 'unknown');
  const d = {
    total: decided.length,
    byLevel: {} as Counts,
    byFaultType: {} as Counts,
    byDepartment: {} as Counts,
    byMonth: {} as Counts,
  };
  for (const r of decided) {
    bump(d.byLevel, r.exempt ? 'exempt' : String(r.level ?? 0));
    bump(d.byFaultType, r.faultType ?? 'unfounded');
    bump(d.byDepartment, departments.get(r.staffNo)!);
    bump(d.byMonth, r.decidedOn!.slice(0, 7));
  }
  return { matters: m, decisions: d };
}
