/**
 * Cross-record checks of an org document that a schema cannot express: duplicate codes, unknown
 * references, reversed dates, two A holders of one post on one day, a B with no A. Every problem
 * is reported with its JSON path; the caller stores nothing when there is any.
 */
import type { FieldProblem } from '../platform/errors.ts';
import type { OrgDocument } from './contract.ts';

/** What is already stored, for references the document itself does not carry. */
export interface KnownCodes {
  departments: Set<string>;
  windows: Set<string>;
  posts: Set<string>;
  staff: Set<string>;
  items: Set<string>;
  /** Active assignments in the database, used when the document has no `assignments` list. */
  assignments: { staff: string; post: string; role: 'A' | 'B'; from: string; to: string | null }[];
}

const FAR_FUTURE = '9999-12-31';

function duplicates<T>(list: T[] | undefined, key: (t: T) => string, path: string, out: FieldProblem[]) {
  const seen = new Map<string, number>();
  list?.forEach((t, i) => {
    const k = key(t);
    const first = seen.get(k);
    if (first !== undefined)
      out.push({ path: `${path}[${i}]`, message: `duplicate ${k} (also at ${path}[${first}])` });
    else seen.set(k, i);
  });
}

export function validateOrg(doc: OrgDocument, known: KnownCodes): FieldProblem[] {
  const problems: FieldProblem[] = [];
  duplicates(doc.departments, (d) => `code ${d.code}`, 'departments', problems);
  duplicates(doc.windows, (d) => `code ${d.code}`, 'windows', problems);
  duplicates(doc.posts, (d) => `code ${d.code}`, 'posts', problems);
  duplicates(doc.staff, (d) => `no ${d.no}`, 'staff', problems);
  duplicates(doc.items, (d) => `code ${d.code}`, 'items', problems);
  duplicates(
    doc.assignments,
    (a) => `assignment ${a.staff}/${a.post}/${a.role} from ${a.from}`,
    'assignments',
    problems,
  );
  duplicates(doc.absences, (a) => `absence of ${a.staff} from ${a.from}`, 'absences', problems);
  doc.items?.forEach((item, i) => {
    duplicates(item.materials, (m) => `material ${m.code}`, `items[${i}].materials`, problems);
  });

  // A list present in the document replaces the stored one; an absent list leaves it as it is.
  const codes = (list: { code: string }[] | undefined, stored: Set<string>) =>
    list ? new Set(list.map((x) => x.code)) : stored;
  const depts = codes(doc.departments, known.departments);
  const wins = codes(doc.windows, known.windows);
  const posts = codes(doc.posts, known.posts);
  const staff = doc.staff ? new Set(doc.staff.map((s) => s.no)) : known.staff;
  const items = codes(doc.items, known.items);

  const ref = (set: Set<string>, value: string | null | undefined, path: string, what: string) => {
    if (value != null && !set.has(value)) problems.push({ path, message: `unknown ${what} ${value}` });
  };
  ref(staff, doc.bureau?.head, 'bureau.head', 'staff');
  doc.windows?.forEach((w, i) => {
    ref(depts, w.department, `windows[${i}].department`, 'department');
  });
  doc.posts?.forEach((p, i) => {
    ref(wins, p.window, `posts[${i}].window`, 'window');
  });
  doc.staff?.forEach((s, i) => {
    ref(depts, s.department, `staff[${i}].department`, 'department');
    s.conflicts.forEach((c, j) => {
      ref(items, c.item, `staff[${i}].conflicts[${j}].item`, 'item');
    });
  });
  doc.items?.forEach((it, i) => {
    ref(depts, it.department, `items[${i}].department`, 'department');
    if (it.committedDays > it.statutoryDays) {
      problems.push({
        path: `items[${i}].committedDays`,
        message: `committed limit ${it.committedDays} exceeds the statutory limit ${it.statutoryDays}`,
      });
    }
    if (it.fastTrackDays != null && it.fastTrackDays > it.committedDays) {
      problems.push({
        path: `items[${i}].fastTrackDays`,
        message: `fast-track limit ${it.fastTrackDays} exceeds the committed limit ${it.committedDays}`,
      });
    }
    if (it.kind === 'instant' && it.committedDays !== 0) {
      problems.push({
        path: `items[${i}].committedDays`,
        message: 'an instant item is decided the same day (0)',
      });
    }
  });
  doc.assignments?.forEach((a, i) => {
    ref(staff, a.staff, `assignments[${i}].staff`, 'staff');
    ref(posts, a.post, `assignments[${i}].post`, 'post');
    if (a.to && a.to < a.from) {
      problems.push({ path: `assignments[${i}].to`, message: `ends (${a.to}) before it starts (${a.from})` });
    }
  });
  doc.absences?.forEach((a, i) => {
    ref(staff, a.staff, `absences[${i}].staff`, 'staff');
    if (a.to < a.from)
      problems.push({ path: `absences[${i}].to`, message: `ends (${a.to}) before it starts (${a.from})` });
  });

  const effective = doc.assignments
    ? doc.assignments.map((a, i) => ({ ...a, to: a.to ?? null, path: `assignments[${i}]` }))
    : known.assignments.map((a) => ({ ...a, path: `stored assignment ${a.staff}/${a.post}/${a.role}` }));
  const byPost = new Map<string, typeof effective>();
  for (const a of effective) {
    if (a.to && a.to < a.from) continue; // already reported as reversed
    const list = byPost.get(a.post) ?? [];
    list.push(a);
    byPost.set(a.post, list);
  }
  const overlaps = (x: { from: string; to: string | null }, y: { from: string; to: string | null }) =>
    x.from <= (y.to ?? FAR_FUTURE) && y.from <= (x.to ?? FAR_FUTURE);
  for (const [post, list] of byPost) {
    const holders = list.filter((a) => a.role === 'A').sort((x, y) => x.from.localeCompare(y.from));
    for (let i = 0; i < holders.length; i++) {
      for (let j = i + 1; j < holders.length; j++) {
        if (overlaps(holders[i], holders[j])) {
          const day = holders[j].from; // sorted by start: the later start is the first shared day
          problems.push({
            path: holders[j].path,
            message: `post ${post} has two A holders on ${day}: ${holders[i].staff} and ${holders[j].staff}`,
          });
        }
      }
    }
    for (const b of list.filter((a) => a.role === 'B')) {
      if (!holders.some((a) => overlaps(a, b))) {
        problems.push({
          path: b.path,
          message: `B ${b.staff} on post ${post} has no A holder in that period`,
        });
      }
    }
  }
  return problems;
}
