/**
 * Who may act for a post on a date, from an org document's assignments and absences (AB岗):
 * the A holder while present, the B holder while A is away. The demo case generator asks it for
 * every event, so answers are cached per post and date (a year of dates times a few dozen posts).
 *
 * @example
 * const roster = new Roster(demoOrg(1));
 * roster.acting('P-REVIEW-SG', '2026-03-02') // 'S009' (or the B holder while S009 is away)
 */
import type { OrgDocumentInput } from '../org/contract.ts';

type Assignment = NonNullable<OrgDocumentInput['assignments']>[number];
type Absence = NonNullable<OrgDocumentInput['absences']>[number];

/** The kinds of window post the generator staffs cases from, by the demo bureau's post codes. */
export type PostKind = 'accept' | 'review' | 'approve' | 'announce' | 'chief';

const kindPrefixes: [PostKind, string][] = [
  ['accept', 'P-ACCEPT'],
  ['review', 'P-REVIEW'],
  ['approve', 'P-APPROVE'],
  ['announce', 'P-ANNOUNCE'],
  ['chief', 'P-CHIEF'],
];

export interface RosterPost {
  code: string;
  name: string;
  kind: PostKind;
  window: string;
  businesses: string[];
}

const covers = (a: { from: string; to?: string | null }, date: string) =>
  a.from <= date && (a.to == null || date <= a.to);

export class Roster {
  readonly posts: RosterPost[];
  readonly head: string | null;
  /** Staff of the approval section (window clerks), who may be drawn on for a planted fault. */
  readonly clerks: string[];
  private readonly byPost = new Map<string, Assignment[]>();
  private readonly absences = new Map<string, Absence[]>();
  private readonly conflicts = new Map<string, Set<string>>();
  private readonly cache = new Map<string, string | null>();

  constructor(org: OrgDocumentInput) {
    this.head = org.bureau?.head ?? null;
    this.posts = [];
    const byCode =
      <T>(key: (x: T) => string) =>
      (a: T, b: T) =>
        key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    for (const p of [...(org.posts ?? [])].sort(byCode((x) => x.code))) {
      const kind = kindPrefixes.find(([, prefix]) => p.code.startsWith(prefix))?.[0];
      if (kind)
        this.posts.push({
          code: p.code,
          name: p.name,
          kind,
          window: p.window,
          businesses: p.businesses ?? [],
        });
    }
    for (const a of [...(org.assignments ?? [])].sort(
      byCode((x) => `${x.post}|${x.role}|${x.from}|${x.staff}`),
    )) {
      const list = this.byPost.get(a.post) ?? [];
      list.push(a);
      this.byPost.set(a.post, list);
    }
    for (const a of org.absences ?? []) {
      const list = this.absences.get(a.staff) ?? [];
      list.push(a);
      this.absences.set(a.staff, list);
    }
    for (const s of org.staff ?? []) {
      for (const c of s.conflicts ?? []) {
        if (!c.item) continue;
        const set = this.conflicts.get(s.no) ?? new Set();
        set.add(c.item);
        this.conflicts.set(s.no, set);
      }
    }
    const windowDepartments = new Set((org.windows ?? []).map((w) => w.department));
    this.clerks = (org.staff ?? [])
      .filter((s) => windowDepartments.has(s.department))
      .map((s) => s.no)
      .sort();
  }

  /** Posts of a kind; for review and approval posts, only those covering `business`. */
  postsOf(kind: PostKind, business?: string): RosterPost[] {
    return this.posts.filter(
      (p) =>
        p.kind === kind && (business === undefined || kind === 'accept' || p.businesses.includes(business)),
    );
  }

  isAbsent(staff: string, date: string): boolean {
    return (this.absences.get(staff) ?? []).some((a) => a.from <= date && date <= a.to);
  }

  /** Whether `staff` declared a conflict of interest (回避) on the item. */
  conflicted(staff: string, item: string): boolean {
    return this.conflicts.get(staff)?.has(item) ?? false;
  }

  /** The holder of a role on a post on a date, if any. */
  holder(post: string, role: 'A' | 'B', date: string): string | null {
    return this.byPost.get(post)?.find((a) => a.role === role && covers(a, date))?.staff ?? null;
  }

  /**
   * Who acts for the post on the date: A while present; B while A is absent (and B present);
   * nobody when the post is vacant or both are away (a vacancy is not an absence, so B does not
   * stand in for it).
   */
  acting(post: string, date: string): string | null {
    const key = `${post}|${date}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const a = this.holder(post, 'A', date);
    let who: string | null = null;
    if (a && !this.isAbsent(a, date)) who = a;
    else if (a) {
      const b = this.holder(post, 'B', date);
      if (b && !this.isAbsent(b, date)) who = b;
    }
    this.cache.set(key, who);
    return who;
  }

  /** Every post (of any kind) that `staff` holds as A or B on the date. */
  postsHeldBy(staff: string, date: string): string[] {
    const out: string[] = [];
    for (const [post, list] of this.byPost) {
      if (list.some((a) => a.staff === staff && covers(a, date))) out.push(post);
    }
    return out;
  }
}
