/**
 * Planner input from the organisation as the org module gives it (an `org` document and the
 * assignment history): posts with their window's department, staff with the businesses their
 * declared conflicts name, and the history as holdings.
 *
 * @example
 * const { posts, staff, history } = plannerData(await exportOrg(db), await assignmentHistory(db));
 */
import type { OrgDocumentInput } from '../org/contract.ts';
import type { Holding, PlanPost, PlanStaff } from './types.ts';

/** Assignment rows as `assignmentHistory` returns them (`effectiveTo` counts removed ones). */
export interface HistoryRow {
  staffNo: string;
  post: string;
  role: 'A' | 'B';
  from: string;
  to: string | null;
  effectiveTo?: string | null;
}

export function plannerData(
  doc: OrgDocumentInput,
  historyRows?: HistoryRow[],
): { posts: PlanPost[]; staff: PlanStaff[]; history: Holding[] } {
  const windowDept = new Map((doc.windows ?? []).map((w) => [w.code, w.department]));
  const itemBusiness = new Map((doc.items ?? []).map((i) => [i.code, i.business]));
  const posts: PlanPost[] = (doc.posts ?? []).map((p) => ({
    code: p.code,
    name: p.name,
    window: p.window,
    department: windowDept.get(p.window) ?? '',
    key: p.key ?? false,
    businesses: [...(p.businesses ?? [])],
  }));
  const staff: PlanStaff[] = (doc.staff ?? []).map((s) => ({
    no: s.no,
    name: s.name,
    department: s.department,
    competencies: [...(s.competencies ?? [])],
    conflicts: (s.conflicts ?? [])
      .filter((c) => c.item && itemBusiness.has(c.item))
      .map((c) => ({ item: c.item!, business: itemBusiness.get(c.item!)!, kind: c.kind })),
  }));
  const history: Holding[] = historyRows
    ? historyRows
        .map((a) => ({
          staff: a.staffNo,
          post: a.post,
          role: a.role,
          from: a.from,
          to: a.effectiveTo === undefined ? a.to : a.effectiveTo,
        }))
        .filter((h) => !h.to || h.to >= h.from)
    : (doc.assignments ?? []).map((a) => ({
        staff: a.staff,
        post: a.post,
        role: a.role,
        from: a.from,
        to: a.to ?? null,
      }));
  return { posts, staff, history };
}
