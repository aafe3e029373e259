/**
 * Organisation and catalogue: import (upsert by code, history kept), export, and the read verbs
 * other modules use. Nothing is ever deleted: what leaves an imported list is marked inactive.
 *
 * @example
 * const result = await importOrg(db, doc, { actor: 'cli', today: '2026-03-02' });
 * const doc = await exportOrg(db); // loads again unchanged
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { invalidateAuthority } from '../authority/generation.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { type AuditInput, appendAudit } from '../platform/audit.ts';
import { AppError, zodIssuesToProblems } from '../platform/errors.ts';
import { canonicalJson } from '../platform/hash.ts';
import { type OrgDocument, orgDocumentSchema } from './contract.ts';
import { absences, assignments, bureau, departments, items, posts, staff, windows } from './schema.ts';
import { validateOrg } from './validate.ts';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  deactivated: number;
}
export type ImportResult = Record<
  'bureau' | 'departments' | 'windows' | 'posts' | 'staff' | 'assignments' | 'absences' | 'items',
  ImportCounts
>;

/** Parses and checks a document; throws VALIDATION_FAILED listing every problem. */
export async function parseOrgDocument(db: DbOrTx, input: unknown): Promise<OrgDocument> {
  const parsed = orgDocumentSchema.safeParse(input);
  if (!parsed.success) throw AppError.validation(zodIssuesToProblems(parsed.error.issues));
  const doc = parsed.data;
  const codesOf = async (table: any, col: any) =>
    new Set(
      (await db.select({ c: col }).from(table).where(eq(table.active, true))).map((r: any) => r.c as string),
    );
  const problems = validateOrg(doc, {
    departments: await codesOf(departments, departments.code),
    windows: await codesOf(windows, windows.code),
    posts: await codesOf(posts, posts.code),
    staff: await codesOf(staff, staff.no),
    items: await codesOf(items, items.code),
    assignments: doc.assignments
      ? []
      : (await db.select().from(assignments).where(eq(assignments.active, true))).map((a) => ({
          staff: a.staffNo,
          post: a.post,
          role: a.role,
          from: a.from,
          to: a.to,
        })),
  });
  if (problems.length) throw AppError.validation(problems);
  return doc;
}

interface ListSpec<Row> {
  entity: keyof ImportResult;
  table: PgTable & Record<string, any>;
  /** The stored row's identity, as a string. */
  key: (row: Row) => string;
  /** Unique-index columns that identify a row, for ON CONFLICT. */
  conflictTarget: any[];
  /** The row's contract content, compared to decide created / updated / unchanged. */
  content: (row: Row) => unknown;
}

/** Upserts one list; records missing from it are deactivated. Returns its counts and audits. */
async function upsertList<Row extends Record<string, unknown>>(
  tx: DbOrTx,
  spec: ListSpec<Row>,
  incoming: Row[],
  today: string,
  audit: AuditInput[],
  actor: string,
): Promise<ImportCounts> {
  const counts: ImportCounts = { created: 0, updated: 0, unchanged: 0, deactivated: 0 };
  const stored = new Map<string, Row & { active: boolean }>();
  for (const r of (await tx.select().from(spec.table as any)) as any[]) stored.set(spec.key(r), r);
  const toWrite: Row[] = [];
  const seen = new Set<string>();
  for (const row of incoming) {
    const k = spec.key(row);
    seen.add(k);
    const old = stored.get(k);
    const content = spec.content(row);
    if (old?.active && canonicalJson(spec.content(old)) === canonicalJson(content)) {
      counts.unchanged++;
      continue;
    }
    if (old) counts.updated++;
    else counts.created++;
    toWrite.push({ ...row, active: true, inactiveFrom: null });
    audit.push({
      actor,
      action: old ? 'org.update' : 'org.create',
      entity: spec.entity,
      entityId: k,
      content,
    });
  }
  const columns = Object.keys(toWrite[0] ?? {}).filter(
    (c) => !spec.conflictTarget.some((t) => t.name === toSnake(c)),
  );
  for (let i = 0; i < toWrite.length; i += 2000) {
    await tx
      .insert(spec.table)
      .values(toWrite.slice(i, i + 2000) as any)
      .onConflictDoUpdate({
        target: spec.conflictTarget,
        set: Object.fromEntries(columns.map((c) => [c, sql.raw(`excluded.${quote(toSnake(c))}`)])),
      });
  }
  const gone = [...stored.entries()].filter(([k, r]) => r.active && !seen.has(k));
  if (gone.length) {
    const ids = gone.map(([, r]) => r);
    const idCol = 'id' in spec.table ? spec.table.id : 'code' in spec.table ? spec.table.code : spec.table.no;
    const idKey = 'id' in spec.table ? 'id' : 'code' in spec.table ? 'code' : 'no';
    await tx
      .update(spec.table)
      .set({ active: false, inactiveFrom: today } as any)
      .where(inArray(idCol, ids.map((r) => r[idKey]) as any));
    for (const [k] of gone) {
      audit.push({
        actor,
        action: 'org.deactivate',
        entity: spec.entity,
        entityId: k,
        content: { inactiveFrom: today },
      });
    }
    counts.deactivated = gone.length;
  }
  return counts;
}

const toSnake = (s: string) => s.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
const quote = (s: string) => `"${s}"`;

const empty = (): ImportCounts => ({ created: 0, updated: 0, unchanged: 0, deactivated: 0 });

/**
 * Loads an org document (already parsed or raw JSON) in one transaction. Throws
 * VALIDATION_FAILED with every problem, storing nothing, when the document is bad.
 */
export async function importOrg(
  db: Db,
  input: unknown,
  opts: { actor: string; today: string },
): Promise<ImportResult> {
  const imported = await db.transaction(async (tx) => {
    const doc = await parseOrgDocument(tx, input);
    const audit: AuditInput[] = [];
    const result: ImportResult = {
      bureau: empty(),
      departments: empty(),
      windows: empty(),
      posts: empty(),
      staff: empty(),
      assignments: empty(),
      absences: empty(),
      items: empty(),
    };
    const { actor, today } = opts;
    if (doc.bureau) {
      const b = { ...doc.bureau, head: doc.bureau.head ?? null };
      const [old] = await tx.select().from(bureau).limit(1);
      if (old && canonicalJson(old) === canonicalJson(b)) result.bureau.unchanged = 1;
      else {
        if (old && old.code !== b.code) await tx.delete(bureau).where(eq(bureau.code, old.code));
        await tx.insert(bureau).values(b).onConflictDoUpdate({ target: bureau.code, set: b });
        result.bureau[old ? 'updated' : 'created'] = 1;
        audit.push({
          actor,
          action: old ? 'org.update' : 'org.create',
          entity: 'bureau',
          entityId: b.code,
          content: b,
        });
      }
    }
    const byCode = (r: any) => r.code as string;
    if (doc.departments)
      result.departments = await upsertList(
        tx,
        {
          entity: 'departments',
          table: departments,
          key: byCode,
          conflictTarget: [departments.code],
          content: departmentContent,
        },
        doc.departments,
        today,
        audit,
        actor,
      );
    if (doc.windows)
      result.windows = await upsertList(
        tx,
        {
          entity: 'windows',
          table: windows,
          key: byCode,
          conflictTarget: [windows.code],
          content: windowContent,
        },
        doc.windows,
        today,
        audit,
        actor,
      );
    if (doc.posts)
      result.posts = await upsertList(
        tx,
        { entity: 'posts', table: posts, key: byCode, conflictTarget: [posts.code], content: postContent },
        doc.posts,
        today,
        audit,
        actor,
      );
    if (doc.staff)
      result.staff = await upsertList(
        tx,
        {
          entity: 'staff',
          table: staff,
          key: (r: any) => r.no,
          conflictTarget: [staff.no],
          content: staffContent,
        },
        doc.staff.map((s) => ({ ...s, hiredOn: s.hiredOn ?? null })),
        today,
        audit,
        actor,
      );
    if (doc.items)
      result.items = await upsertList(
        tx,
        { entity: 'items', table: items, key: byCode, conflictTarget: [items.code], content: itemContent },
        doc.items.map((it) => ({
          ...it,
          fastTrackDays: it.fastTrackDays ?? null,
          department: it.department ?? null,
        })),
        today,
        audit,
        actor,
      );
    if (doc.assignments)
      result.assignments = await upsertList(
        tx,
        {
          entity: 'assignments',
          table: assignments,
          key: (r: any) => `${r.staffNo}/${r.post}/${r.role}/${r.from}`,
          conflictTarget: [assignments.staffNo, assignments.post, assignments.role, assignments.from],
          content: assignmentContent,
        },
        doc.assignments.map((a) => ({
          staffNo: a.staff,
          post: a.post,
          role: a.role,
          from: a.from,
          to: a.to ?? null,
        })),
        today,
        audit,
        actor,
      );
    if (doc.absences)
      result.absences = await upsertList(
        tx,
        {
          entity: 'absences',
          table: absences,
          key: (r: any) => `${r.staffNo}/${r.from}`,
          conflictTarget: [absences.staffNo, absences.from],
          content: absenceContent,
        },
        doc.absences.map((a) => ({ staffNo: a.staff, from: a.from, to: a.to, reason: a.reason })),
        today,
        audit,
        actor,
      );
    await appendAudit(tx, audit);
    return result;
  });
  // Authority caches abilities built from assignments and absences: stale once this commits.
  invalidateAuthority();
  return imported;
}

const departmentContent = (r: any) => ({ code: r.code, name: r.name, kind: r.kind });
const windowContent = (r: any) => ({ code: r.code, name: r.name, department: r.department });
const postContent = (r: any) => ({
  code: r.code,
  name: r.name,
  window: r.window,
  key: r.key,
  businesses: r.businesses,
});
const staffContent = (r: any) => ({
  no: r.no,
  name: r.name,
  department: r.department,
  hiredOn: r.hiredOn ?? null,
  competencies: r.competencies,
  conflicts: r.conflicts,
});
const itemContent = (r: any) => ({
  code: r.code,
  name: r.name,
  business: r.business,
  kind: r.kind,
  statutoryDays: r.statutoryDays,
  committedDays: r.committedDays,
  fastTrackDays: r.fastTrackDays ?? null,
  online: r.online,
  atWindow: r.atWindow,
  specialSeal: r.specialSeal,
  department: r.department ?? null,
  materials: r.materials,
});
const assignmentContent = (r: any) => ({
  staff: r.staffNo,
  post: r.post,
  role: r.role,
  from: r.from,
  to: r.to ?? null,
});
const absenceContent = (r: any) => ({ staff: r.staffNo, from: r.from, to: r.to, reason: r.reason });

/** The active organisation as an `org` document (version 1) that loads again unchanged. */
export async function exportOrg(db: DbOrTx): Promise<OrgDocument> {
  const [b] = await db.select().from(bureau).limit(1);
  const active = (t: any) => eq(t.active, true);
  return {
    version: 1,
    ...(b ? { bureau: { code: b.code, name: b.name, timeZone: b.timeZone, head: b.head } } : {}),
    departments: (
      await db.select().from(departments).where(active(departments)).orderBy(asc(departments.code))
    ).map(departmentContent),
    windows: (await db.select().from(windows).where(active(windows)).orderBy(asc(windows.code))).map(
      windowContent,
    ),
    posts: (await db.select().from(posts).where(active(posts)).orderBy(asc(posts.code))).map(postContent),
    staff: (await db.select().from(staff).where(active(staff)).orderBy(asc(staff.no))).map(staffContent),
    assignments: (
      await db
        .select()
        .from(assignments)
        .where(active(assignments))
        .orderBy(
          asc(assignments.staffNo),
          asc(assignments.post),
          asc(assignments.role),
          asc(assignments.from),
        )
    ).map(assignmentContent),
    absences: (
      await db
        .select()
        .from(absences)
        .where(active(absences))
        .orderBy(asc(absences.staffNo), asc(absences.from))
    ).map(absenceContent),
    items: (await db.select().from(items).where(active(items)).orderBy(asc(items.code))).map(itemContent),
  } as OrgDocument;
}

// ---- read verbs for other modules ----

export async function getBureau(db: DbOrTx) {
  const [b] = await db.select().from(bureau).limit(1);
  return b ?? null;
}

export async function getStaff(db: DbOrTx, no: string) {
  const [s] = await db.select().from(staff).where(eq(staff.no, no));
  return s ?? null;
}

export async function getItem(db: DbOrTx, code: string) {
  const [i] = await db.select().from(items).where(eq(items.code, code));
  return i ?? null;
}

export async function listItems(db: DbOrTx) {
  return db.select().from(items).orderBy(asc(items.code));
}

/** Every staff member, active or not (`inactiveFrom`), for modules that replay the past. */
export async function listStaff(db: DbOrTx) {
  return db.select().from(staff).orderBy(asc(staff.no));
}

export async function listPosts(db: DbOrTx) {
  return db.select().from(posts).orderBy(asc(posts.code));
}

/**
 * Assignment history, including ended and removed ones: a removed assignment counts until the day
 * before it left the file (`inactiveFrom`), so replays of the past stay true.
 */
export async function assignmentHistory(db: DbOrTx, staffNo?: string) {
  const rows = await db
    .select()
    .from(assignments)
    .where(staffNo ? eq(assignments.staffNo, staffNo) : undefined)
    .orderBy(asc(assignments.from));
  return rows.map((a) => ({ ...a, effectiveTo: effectiveEnd(a.to, a.inactiveFrom) }));
}

/** Absence history, with removed absences ending the day before they left the file. */
export async function absenceHistory(db: DbOrTx, staffNo?: string) {
  const rows = await db
    .select()
    .from(absences)
    .where(
      staffNo ? and(eq(absences.staffNo, staffNo), eq(absences.active, true)) : eq(absences.active, true),
    )
    .orderBy(asc(absences.from));
  return rows;
}

function effectiveEnd(to: string | null, inactiveFrom: string | null): string | null {
  if (!inactiveFrom) return to;
  const d = new Date(`${inactiveFrom}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  const dayBefore = d.toISOString().slice(0, 10);
  return to && to < dayBefore ? to : dayBefore;
}

// ---- assignment changes for other modules (rotation) ----

export interface AssignmentChange {
  staff: string;
  /** The holding that ends the day before `on`; null when the person takes on a new post only. */
  from: { post: string; role: 'A' | 'B' } | null;
  /** The holding that starts on `on`; null when the person only leaves. */
  to: { post: string; role: 'A' | 'B' } | null;
  /** Effective date (YYYY-MM-DD). */
  on: string;
}

/**
 * Applies assignment changes in the caller's transaction: each `from` holding in force on `on` ends
 * the day before, each `to` starts on `on` (open-ended), every change audited. Afterwards the org
 * rules must still hold (one A per post per day, every B with an A, known staff and posts), or it
 * throws VALIDATION_FAILED listing every problem (the caller's transaction then stores nothing).
 * The caller calls `invalidateAuthority()` once its transaction has committed.
 *
 * @example
 * await db.transaction((tx) => applyAssignmentChanges(tx, [
 *   { staff: 'S007', from: { post: 'P-REVIEW-SG', role: 'A' }, to: { post: 'P-REVIEW-ZZ', role: 'B' }, on: '2027-01-01' },
 * ], 'user:hr'));
 */
export async function applyAssignmentChanges(
  tx: DbOrTx,
  changes: AssignmentChange[],
  actor: string,
): Promise<{ ended: number; started: number }> {
  const problems: { path: string; message: string }[] = [];
  const audit: AuditInput[] = [];
  const activeStaff = new Set(
    (await tx.select({ no: staff.no }).from(staff).where(eq(staff.active, true))).map((r) => r.no),
  );
  const activePosts = new Set(
    (await tx.select({ code: posts.code }).from(posts).where(eq(posts.active, true))).map((r) => r.code),
  );
  let ended = 0;
  let started = 0;
  const dayBefore = (d: string) => {
    const x = new Date(`${d}T00:00:00Z`);
    x.setUTCDate(x.getUTCDate() - 1);
    return x.toISOString().slice(0, 10);
  };
  for (const [i, c] of changes.entries()) {
    const path = `changes[${i}]`;
    if (!activeStaff.has(c.staff))
      problems.push({ path: `${path}.staff`, message: `unknown or inactive staff ${c.staff}` });
    if (c.from) {
      const [held] = await tx
        .select()
        .from(assignments)
        .where(
          and(
            eq(assignments.staffNo, c.staff),
            eq(assignments.post, c.from.post),
            eq(assignments.role, c.from.role),
            eq(assignments.active, true),
            sql`${assignments.from} < ${c.on}`,
            sql`(${assignments.to} is null or ${assignments.to} >= ${c.on})`,
          ),
        )
        .limit(1);
      if (!held) {
        problems.push({
          path: `${path}.from`,
          message: `${c.staff} does not hold ${c.from.post} as ${c.from.role} from before ${c.on}`,
        });
      } else {
        const to = dayBefore(c.on);
        await tx.update(assignments).set({ to }).where(eq(assignments.id, held.id));
        audit.push({
          actor,
          action: 'org.assignment.end',
          entity: 'assignments',
          entityId: `${held.staffNo}/${held.post}/${held.role}/${held.from}`,
          content: { staff: held.staffNo, post: held.post, role: held.role, from: held.from, to },
        });
        ended++;
      }
    }
    if (c.to) {
      if (!activePosts.has(c.to.post)) {
        problems.push({ path: `${path}.to.post`, message: `unknown or inactive post ${c.to.post}` });
        continue;
      }
      const row = { staffNo: c.staff, post: c.to.post, role: c.to.role, from: c.on, to: null };
      const inserted = await tx
        .insert(assignments)
        .values(row)
        .onConflictDoNothing()
        .returning({ id: assignments.id });
      if (inserted.length === 0) {
        problems.push({
          path: `${path}.to`,
          message: `${c.staff} already starts ${c.to.post} as ${c.to.role} on ${c.on}`,
        });
        continue;
      }
      audit.push({
        actor,
        action: 'org.assignment.start',
        entity: 'assignments',
        entityId: `${c.staff}/${c.to.post}/${c.to.role}/${c.on}`,
        content: { staff: c.staff, post: c.to.post, role: c.to.role, from: c.on, to: null },
      });
      started++;
    }
  }
  // The org rules over every active assignment, as an import would check them.
  const all = await tx.select().from(assignments).where(eq(assignments.active, true));
  const codesOf = async (table: any, col: any) =>
    new Set(
      (await tx.select({ c: col }).from(table).where(eq(table.active, true))).map((r: any) => r.c as string),
    );
  const touched = new Set(changes.flatMap((c) => [c.from?.post, c.to?.post].filter(Boolean) as string[]));
  const orgProblems = validateOrg(
    {
      version: 1,
      assignments: all.map((a) => ({ staff: a.staffNo, post: a.post, role: a.role, from: a.from, to: a.to })),
    } as OrgDocument,
    {
      departments: await codesOf(departments, departments.code),
      windows: await codesOf(windows, windows.code),
      posts: await codesOf(posts, posts.code),
      staff: await codesOf(staff, staff.no),
      items: await codesOf(items, items.code),
      assignments: [],
    },
  );
  // Report what these changes touch (older data problems are not this caller's to fix).
  for (const p of orgProblems) {
    if ([...touched].some((post) => p.message.includes(`post ${post} `)))
      problems.push({ path: 'assignments', message: p.message });
  }
  if (problems.length)
    throw AppError.validation(problems, 'the assignment changes break the org rules; nothing was stored');
  await appendAudit(tx, audit);
  return { ended, started };
}
