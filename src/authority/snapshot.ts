/**
 * Everything the engine decides from, as plain data: the organisation's history, the catalogue,
 * suspensions and every policy version with its activations. Read from the database
 * (`service.ts`), or built straight from an org document for policy tests and benchmarks.
 *
 * @example
 * const snap = snapshotFromOrgDocument(demoOrg(1), { policies: [readPolicyDir(dir)] });
 * const engine = new AuthorityEngine(snap);
 */
import type { OrgDocumentInput } from '../org/contract.ts';
import type { ItemFacts } from './conditions.ts';
import { policyHash } from './policy.ts';

export interface StaffRow {
  no: string;
  name: string;
  /** The first day the staff member no longer counts (left the organisation), or null. */
  inactiveFrom: string | null;
}

export interface PostRow {
  code: string;
  name: string;
  businesses: string[];
  inactiveFrom: string | null;
}

export interface ItemRow extends ItemFacts {
  inactiveFrom: string | null;
}

export interface AssignmentRow {
  staffNo: string;
  post: string;
  role: 'A' | 'B';
  from: string;
  /** The last day (after removals are taken into account), or null while it lasts. */
  to: string | null;
}

export interface AbsenceRow {
  staffNo: string;
  from: string;
  to: string;
  reason: string;
}

export interface SuspensionRow {
  id: number;
  staffNo: string;
  from: Date;
  liftedAt: Date | null;
  reason: string;
  ref: string | null;
}

export interface PolicyActivation {
  hash: string;
  at: Date;
}

export interface AuthoritySnapshot {
  /** The bureau's time zone: assignment and absence dates are dates there. */
  timeZone: string;
  /** The organ's head (`bureau.head`), who holds the head's grants. */
  head: string | null;
  staff: StaffRow[];
  posts: PostRow[];
  items: ItemRow[];
  assignments: AssignmentRow[];
  absences: AbsenceRow[];
  suspensions: SuspensionRow[];
  /** Every policy version by hash: file name to text. */
  policyFiles: Record<string, Record<string, string>>;
  /** When each version came into force, oldest first (a version may come back after another). */
  activations: PolicyActivation[];
}

/**
 * A snapshot from an org document, as if it had just been imported: for policy tests, benchmarks
 * and the CLI's dry runs. `policies` are sets of files; each is activated at `activatedAt`
 * (default: the epoch, so it is in force for every instant asked about).
 */
export function snapshotFromOrgDocument(
  doc: OrgDocumentInput,
  opts: { policies: Record<string, string>[]; activatedAt?: Date[]; suspensions?: SuspensionRow[] },
): AuthoritySnapshot {
  const policyFiles: Record<string, Record<string, string>> = {};
  const activations = opts.policies.map((files, i) => {
    const hash = policyHash(files);
    policyFiles[hash] = files;
    return { hash, at: opts.activatedAt?.[i] ?? new Date(0) };
  });
  return {
    timeZone: doc.bureau?.timeZone ?? 'Asia/Shanghai',
    head: doc.bureau?.head ?? null,
    staff: (doc.staff ?? []).map((s) => ({ no: s.no, name: s.name, inactiveFrom: null })),
    posts: (doc.posts ?? []).map((p) => ({
      code: p.code,
      name: p.name,
      businesses: p.businesses ?? [],
      inactiveFrom: null,
    })),
    items: (doc.items ?? []).map((i) => ({
      code: i.code,
      name: i.name,
      business: i.business,
      kind: i.kind,
      specialSeal: i.specialSeal ?? true,
      atWindow: i.atWindow ?? true,
      online: i.online ?? false,
      department: i.department ?? null,
      inactiveFrom: null,
    })),
    assignments: (doc.assignments ?? []).map((a) => ({
      staffNo: a.staff,
      post: a.post,
      role: a.role,
      from: a.from,
      to: a.to ?? null,
    })),
    absences: (doc.absences ?? []).map((a) => ({
      staffNo: a.staff,
      from: a.from,
      to: a.to,
      reason: a.reason ?? 'leave',
    })),
    suspensions: opts.suspensions ?? [],
    policyFiles,
    activations,
  };
}
