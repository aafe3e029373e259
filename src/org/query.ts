/**
 * Read queries over the organisation and the catalogue for browsing: search, filters and paging
 * that stay fast with tens of thousands of staff (one page of rows and one count per request,
 * never the whole table into JavaScript). "Current" means on the given local date: an active
 * assignment whose `from` is on or before it and whose `to` is empty or on or after it.
 *
 * @example
 * const { rows, total } = await searchStaff(db, { q: '陈', department: 'D-APPROVAL', page: 2, pageSize: 50, today: '2026-03-02' });
 * rows[0].posts; // [{ post: 'P-APPROVE-1', postName: '审批岗一', role: 'A', from: '2021-03-01' }]
 * rows[0].since; // '2021-03-01' (in current posts since), for tenure
 */
import { and, asc, count, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { absences, assignments, departments, items, posts, staff, windows } from './schema.ts';

// Correlated subqueries name their tables explicitly: drizzle leaves column names unqualified when
// a query reads a single table, and an unqualified "code" inside a subquery means the inner one.

/** `%` and `_` typed by a user are searched for literally. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

const currentOn = (today: string) =>
  and(
    eq(assignments.active, true),
    sql`${assignments.from} <= ${today}`,
    sql`(${assignments.to} is null or ${assignments.to} >= ${today})`,
  );

/** Departments with how many active staff and windows each has; windows with their posts. */
export async function orgOverview(db: DbOrTx) {
  const deps = await db
    .select({
      code: departments.code,
      name: departments.name,
      kind: departments.kind,
      staff: sql<number>`(select count(*)::int from ${staff} s where s.department = ${departments}.code and s.active)`,
      windows: sql<number>`(select count(*)::int from ${windows} w where w.department = ${departments}.code and w.active)`,
    })
    .from(departments)
    .where(eq(departments.active, true))
    .orderBy(asc(departments.code));
  const wins = await db
    .select({
      code: windows.code,
      name: windows.name,
      department: windows.department,
      departmentName: departments.name,
      posts: sql<number>`(select count(*)::int from ${posts} p where p.window = ${windows}.code and p.active)`,
      keyPosts: sql<number>`(select count(*)::int from ${posts} p where p.window = ${windows}.code and p.active and p.key)`,
    })
    .from(windows)
    .leftJoin(departments, eq(departments.code, windows.department))
    .where(eq(windows.active, true))
    .orderBy(asc(windows.code));
  return { departments: deps, windows: wins };
}

export interface Holder {
  staffNo: string;
  name: string | null;
  role: 'A' | 'B';
  from: string;
  to: string | null;
  /** Absent on the day (leave, training...): while A is away, B acts for A. */
  absent: boolean;
}

export interface PostQuery {
  today: string;
  window?: string;
  /** Key posts only (重点岗位). */
  key?: boolean;
  page: number;
  pageSize: number;
}

/** One page of active posts with their current A and B holders (AB岗), and the total. */
export async function postsWithHolders(db: DbOrTx, opts: PostQuery) {
  const where = and(
    eq(posts.active, true),
    opts.window ? eq(posts.window, opts.window) : undefined,
    opts.key === undefined ? undefined : eq(posts.key, opts.key),
  );
  const [{ n }] = await db.select({ n: count() }).from(posts).where(where);
  const rows = await db
    .select({
      code: posts.code,
      name: posts.name,
      window: posts.window,
      windowName: windows.name,
      key: posts.key,
      businesses: posts.businesses,
    })
    .from(posts)
    .leftJoin(windows, eq(windows.code, posts.window))
    .where(where)
    .orderBy(asc(posts.window), asc(posts.code))
    .limit(opts.pageSize)
    .offset((opts.page - 1) * opts.pageSize);
  const holders = await db
    .select({
      post: assignments.post,
      staffNo: assignments.staffNo,
      name: staff.name,
      role: assignments.role,
      from: assignments.from,
      to: assignments.to,
      absent: sql<boolean>`exists (select 1 from ${absences} x where x.staff_no = ${assignments}.staff_no
        and x.active and x."from" <= ${opts.today} and x."to" >= ${opts.today})`,
    })
    .from(assignments)
    .leftJoin(staff, eq(staff.no, assignments.staffNo))
    .where(
      and(
        currentOn(opts.today),
        rows.length
          ? inArray(
              assignments.post,
              rows.map((r) => r.code),
            )
          : sql`false`,
      ),
    )
    .orderBy(asc(assignments.role), asc(assignments.from));
  const byPost = new Map<string, Holder[]>();
  for (const h of holders) {
    const list = byPost.get(h.post) ?? [];
    list.push({
      staffNo: h.staffNo,
      name: h.name,
      role: h.role,
      from: h.from,
      to: h.to,
      absent: Boolean(h.absent),
    });
    byPost.set(h.post, list);
  }
  return {
    total: Number(n),
    rows: rows.map((r) => {
      const list = byPost.get(r.code) ?? [];
      return { ...r, a: list.filter((h) => h.role === 'A'), b: list.filter((h) => h.role === 'B') };
    }),
  };
}

export interface StaffQuery {
  /** Part of a name, or the start of a staff number. */
  q?: string;
  department?: string;
  /** A business code among the person's competencies. */
  business?: string;
  /** `no` (staff number) or `tenure` (longest in their current posts first). */
  sort?: 'no' | 'tenure';
  page: number;
  pageSize: number;
  today: string;
}

export interface StaffRow {
  no: string;
  name: string;
  department: string;
  departmentName: string | null;
  hiredOn: string | null;
  competencies: string[];
  /** Current posts, A before B. */
  posts: { post: string; postName: string | null; key: boolean | null; role: 'A' | 'B'; from: string }[];
  /** How many conflicts of interest (回避) the person has declared. */
  conflicts: number;
  /** The earliest `from` among current posts: in post since (tenure counts from here). */
  since: string | null;
}

function staffFilter(q: StaffQuery): SQL | undefined {
  const text = q.q?.trim();
  return and(
    eq(staff.active, true),
    q.department ? eq(staff.department, q.department) : undefined,
    q.business ? sql`${staff.competencies} @> array[${q.business}]::text[]` : undefined,
    text
      ? or(ilike(staff.name, `%${likeEscape(text)}%`), ilike(staff.no, `${likeEscape(text)}%`))
      : undefined,
  );
}

/** One page of active staff matching the filters, with their current posts, and the total. */
export async function searchStaff(db: DbOrTx, q: StaffQuery): Promise<{ rows: StaffRow[]; total: number }> {
  const where = staffFilter(q);
  const [{ n }] = await db.select({ n: count() }).from(staff).where(where);
  const offset = (q.page - 1) * q.pageSize;
  const columns = {
    no: staff.no,
    name: staff.name,
    department: staff.department,
    departmentName: departments.name,
    hiredOn: staff.hiredOn,
    competencies: staff.competencies,
    conflicts: sql<number>`jsonb_array_length(${staff.conflicts})::int`,
  };
  let page: (Omit<StaffRow, 'posts' | 'since'> & { since?: string | null })[];
  if (q.sort === 'tenure') {
    // Ordering by time in post needs every person's start: one aggregate over current assignments.
    const since = db
      .select({ staffNo: assignments.staffNo, since: sql<string>`min(${assignments.from})`.as('since') })
      .from(assignments)
      .where(currentOn(q.today))
      .groupBy(assignments.staffNo)
      .as('cur');
    page = await db
      .select({ ...columns, since: since.since })
      .from(staff)
      .leftJoin(departments, eq(departments.code, staff.department))
      .leftJoin(since, eq(since.staffNo, staff.no))
      .where(where)
      .orderBy(sql`${since.since} asc nulls last`, asc(staff.no))
      .limit(q.pageSize)
      .offset(offset);
  } else {
    // By staff number: the primary key gives the page; assignments are read for its rows only.
    page = await db
      .select(columns)
      .from(staff)
      .leftJoin(departments, eq(departments.code, staff.department))
      .where(where)
      .orderBy(asc(staff.no))
      .limit(q.pageSize)
      .offset(offset);
  }
  const nos = page.map((r) => r.no);
  const current = nos.length
    ? await db
        .select({
          staffNo: assignments.staffNo,
          post: assignments.post,
          postName: posts.name,
          key: posts.key,
          role: assignments.role,
          from: assignments.from,
        })
        .from(assignments)
        .leftJoin(posts, eq(posts.code, assignments.post))
        .where(and(currentOn(q.today), inArray(assignments.staffNo, nos)))
        .orderBy(asc(assignments.role), asc(assignments.from))
    : [];
  const rows = page.map((r) => {
    const mine = current.filter((a) => a.staffNo === r.no).map(({ staffNo: _, ...a }) => a);
    const starts = mine.map((a) => a.from).sort();
    return { ...r, conflicts: Number(r.conflicts), posts: mine, since: starts[0] ?? null };
  });
  return { rows, total: Number(n) };
}

/** One staff member with department, assignment history (post names) and absences. */
export async function staffProfile(db: DbOrTx, no: string) {
  const [person] = await db
    .select({
      no: staff.no,
      name: staff.name,
      department: staff.department,
      departmentName: departments.name,
      hiredOn: staff.hiredOn,
      competencies: staff.competencies,
      conflicts: staff.conflicts,
      active: staff.active,
      inactiveFrom: staff.inactiveFrom,
    })
    .from(staff)
    .leftJoin(departments, eq(departments.code, staff.department))
    .where(eq(staff.no, no));
  if (!person) return null;
  const history = await db
    .select({
      post: assignments.post,
      postName: posts.name,
      window: posts.window,
      role: assignments.role,
      from: assignments.from,
      to: assignments.to,
      active: assignments.active,
      inactiveFrom: assignments.inactiveFrom,
    })
    .from(assignments)
    .leftJoin(posts, eq(posts.code, assignments.post))
    .where(eq(assignments.staffNo, no))
    .orderBy(sql`${assignments.from} desc`);
  const away = await db
    .select({ from: absences.from, to: absences.to, reason: absences.reason })
    .from(absences)
    .where(and(eq(absences.staffNo, no), eq(absences.active, true)))
    .orderBy(sql`${absences.from} desc`);
  return { ...person, history, absences: away };
}

/** Departments and windows as code/name pairs, for filter menus. */
export async function orgChoices(db: DbOrTx) {
  const deps = await db
    .select({ code: departments.code, name: departments.name })
    .from(departments)
    .where(eq(departments.active, true))
    .orderBy(asc(departments.code));
  const wins = await db
    .select({ code: windows.code, name: windows.name })
    .from(windows)
    .where(eq(windows.active, true))
    .orderBy(asc(windows.code));
  return { departments: deps, windows: wins };
}

/** Business codes in use (items' businesses, posts' businesses and staff competencies), sorted. */
export async function businessCodes(db: DbOrTx): Promise<string[]> {
  const rows = await db.execute(sql`
    select distinct b from (
      select ${items.business} as b from ${items} where ${items.active}
      union select unnest(${posts.businesses}) from ${posts} where ${posts.active}
    ) x order by b`);
  const list: any[] = Array.isArray(rows) ? rows : (rows as any).rows;
  return list.map((r) => String(r.b));
}

export interface ItemQuery {
  q?: string;
  kind?: 'instant' | 'committed' | 'joint';
  business?: string;
  online?: boolean;
  page: number;
  pageSize: number;
}

/** One page of active catalogue items matching the filters, and the total. */
export async function searchItems(db: DbOrTx, q: ItemQuery) {
  const text = q.q?.trim();
  const where = and(
    eq(items.active, true),
    q.kind ? eq(items.kind, q.kind) : undefined,
    q.business ? eq(items.business, q.business) : undefined,
    q.online === undefined ? undefined : eq(items.online, q.online),
    text
      ? or(ilike(items.name, `%${likeEscape(text)}%`), ilike(items.code, `${likeEscape(text)}%`))
      : undefined,
  );
  const [{ n }] = await db.select({ n: count() }).from(items).where(where);
  const rows = await db
    .select({
      code: items.code,
      name: items.name,
      business: items.business,
      kind: items.kind,
      statutoryDays: items.statutoryDays,
      committedDays: items.committedDays,
      fastTrackDays: items.fastTrackDays,
      online: items.online,
      atWindow: items.atWindow,
      specialSeal: items.specialSeal,
      department: items.department,
      departmentName: departments.name,
      materials: sql<number>`jsonb_array_length(${items.materials})::int`,
    })
    .from(items)
    .leftJoin(departments, eq(departments.code, items.department))
    .where(where)
    .orderBy(asc(items.code))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { rows, total: Number(n) };
}

/** One item with its department's name. */
export async function itemProfile(db: DbOrTx, code: string) {
  const [row] = await db
    .select({ item: items, departmentName: departments.name })
    .from(items)
    .leftJoin(departments, eq(departments.code, items.department))
    .where(eq(items.code, code));
  return row ? { ...row.item, departmentName: row.departmentName } : null;
}
