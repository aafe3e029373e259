/**
 * Intake: every matter enters through `registerMatter`, whatever its source: the public form
 * (投诉举报, anonymous allowed), a staff member's internal report, a verification failure, a red
 * card left unresolved, or an action outside authority found at ingestion. Registration is
 * idempotent per (source, sourceRef), so a job may hand the same referral over twice.
 *
 * @example
 * const r = await registerMatter(db, {
 *   source: 'red_card', sourceRef: 'alert:17', staff: ['S003'], cases: ['QZJS-2026-000123'],
 *   facts: '红牌警示逾期未整改',
 * }, 'system');
 * // { id: 12, created: true }; the same call again gives { id: 12, created: false }
 * const p = await registerMatter(db, { source: 'public', staff: [], cases: [], facts: '...',
 *   complainant: { anonymous: true } }, 'public');
 * p.trackingCode // 'K7QM-2XHD-9RTB-W3PN', shown once
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../db/client.ts';
import { getBureau, getStaff } from '../org/service.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError, type FieldProblem, zodIssuesToProblems } from '../platform/errors.ts';
import { localDate } from '../platform/time.ts';
import { actorString, type Who } from './common.ts';
import { stageDue } from './deadlines.ts';
import { type MisconductPolicy, misconductPolicy } from './policy.ts';
import {
  type MatterKind,
  type MatterSource,
  matterKinds,
  matterSources,
  misconductComplainants,
  misconductMatters,
  misconductPersons,
  misconductTransitions,
} from './schema.ts';
import { newTrackingCode, trackingHash } from './tracking.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');

export const complainantSchema = z
  .strictObject({
    anonymous: z.boolean(),
    name: z.string().trim().min(1).max(50).optional(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 -]{4,19}$/, 'a telephone number (digits, spaces, dashes)')
      .optional(),
    email: z.string().trim().max(200).email('an e-mail address').optional(),
    staffNo: z.string().min(1).max(40).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.anonymous) return;
    if (!c.name && !c.staffNo)
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'give a name, or choose to stay anonymous' });
    if (!c.phone && !c.email && !c.staffNo)
      ctx.addIssue({
        code: 'custom',
        path: ['phone'],
        message: 'give a telephone number or an e-mail address',
      });
  });
export type ComplainantInput = z.infer<typeof complainantSchema>;

export const registerMatterSchema = z.strictObject({
  source: z.enum(matterSources),
  sourceRef: z.string().min(1).max(200).optional(),
  kind: z.enum(matterKinds).optional(),
  staff: z.array(z.string().min(1).max(40)).max(20).default([]),
  cases: z.array(z.string().min(1).max(60)).max(50).default([]),
  facts: z.string().trim().min(1).max(20_000),
  faultType: z.string().min(1).optional(),
  concernedHint: z.string().trim().max(200).optional(),
  complainant: complainantSchema.optional(),
  receivedOn: isoDate.optional(),
});
export type RegisterMatterInput = z.input<typeof registerMatterSchema>;

export interface RegisterResult {
  id: number;
  created: boolean;
  /** Given once, to a complainant or reporter, when the matter is created. */
  trackingCode?: string;
  receivedOn: string;
}

const defaultKind: Record<MatterSource, MatterKind> = {
  public: 'complaint',
  staff: 'report',
  verification: 'irregular',
  red_card: 'dereliction',
  authority: 'irregular',
};

/** The bureau's local date today. */
export async function bureauToday(db: DbOrTx, now = new Date()): Promise<string> {
  const tz = (await getBureau(db))?.timeZone ?? 'Asia/Shanghai';
  return localDate(now, tz);
}

/**
 * Registers a matter (idempotent per source and sourceRef). Bad input fails whole, naming every
 * field; staff numbers must be in the organisation.
 */
export async function registerMatter(
  db: Db,
  raw: RegisterMatterInput,
  actor: string | Who,
  opts: { today?: string; policy?: MisconductPolicy } = {},
): Promise<RegisterResult> {
  const parsed = registerMatterSchema.safeParse(raw);
  if (!parsed.success) throw AppError.validation(zodIssuesToProblems(parsed.error.issues));
  const input = parsed.data;
  const policy = opts.policy ?? misconductPolicy();
  const actorName = typeof actor === 'string' ? actor : actorString(actor);
  const problems: FieldProblem[] = [];
  if (input.faultType && !policy.faultTypes.some((f) => f.code === input.faultType))
    problems.push({ path: 'faultType', message: `unknown fault type ${input.faultType}` });
  const staff = [...new Set(input.staff)];
  for (const [i, no] of input.staff.entries()) {
    if (!(await getStaff(db, no))) problems.push({ path: `staff[${i}]`, message: `no staff ${no}` });
  }
  if ((input.source === 'public' || input.source === 'staff') && !input.complainant)
    problems.push({
      path: 'complainant',
      message: 'a complaint or report names its author, or says it is anonymous',
    });
  if (input.source !== 'public' && input.source !== 'staff' && !input.sourceRef)
    problems.push({
      path: 'sourceRef',
      message: `a ${input.source} referral needs its reference (the idempotency key)`,
    });
  if (problems.length) throw AppError.validation(problems);

  const today = opts.today ?? (await bureauToday(db));
  const receivedOn = input.receivedOn ?? today;
  const withCode = input.source === 'public' || input.source === 'staff';
  const code = withCode ? newTrackingCode() : undefined;

  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(misconductMatters)
      .values({
        kind: input.kind ?? defaultKind[input.source],
        source: input.source,
        sourceRef: input.sourceRef ?? null,
        facts: input.facts,
        faultType: input.faultType ?? null,
        cases: [...new Set(input.cases)],
        staff,
        concernedHint: input.concernedHint ?? null,
        state: 'registered',
        stageSince: today,
        dueOn: stageDue(policy, 'registered', today),
        receivedOn,
        trackingHash: code ? trackingHash(code) : null,
        createdBy: actorName,
      })
      .onConflictDoNothing()
      .returning({ id: misconductMatters.id });
    if (!row) {
      const [existing] = await tx
        .select({ id: misconductMatters.id, receivedOn: misconductMatters.receivedOn })
        .from(misconductMatters)
        .where(
          and(eq(misconductMatters.source, input.source), eq(misconductMatters.sourceRef, input.sourceRef!)),
        );
      return { id: existing.id, created: false, receivedOn: existing.receivedOn };
    }
    if (staff.length)
      await tx.insert(misconductPersons).values(staff.map((s) => ({ matterId: row.id, staffNo: s })));
    if (input.complainant) {
      const c = input.complainant;
      await tx.insert(misconductComplainants).values({
        matterId: row.id,
        anonymous: c.anonymous,
        // Anonymous means nothing that identifies the author is kept, even if it was typed.
        name: c.anonymous ? null : (c.name ?? null),
        phone: c.anonymous ? null : (c.phone ?? null),
        email: c.anonymous ? null : (c.email ?? null),
        staffNo: c.anonymous ? null : (c.staffNo ?? null),
      });
    }
    await tx.insert(misconductTransitions).values({
      matterId: row.id,
      fromState: null,
      toState: 'registered',
      actor: actorName,
      on: today,
      note: input.source,
    });
    await appendAudit(tx, {
      actor: actorName,
      action: 'misconduct.register',
      entity: 'misconduct_matter',
      entityId: String(row.id),
      // No personal data in the audit content: the facts and the author are only hashed in.
      content: {
        source: input.source,
        sourceRef: input.sourceRef ?? null,
        staff,
        cases: input.cases,
        facts: input.facts,
      },
    });
    return { id: row.id, created: true, receivedOn, ...(code ? { trackingCode: code } : {}) };
  });
}

/** What a complainant sees with their code: where the matter is, never who is concerned. */
export interface ComplaintStatus {
  reference: number;
  kind: MatterKind;
  receivedOn: string;
  status: 'received' | 'investigating' | 'handled' | 'closed';
  since: string;
  reply: string | null;
}

const publicStatus = {
  registered: 'received',
  assigned: 'investigating',
  investigating: 'investigating',
  proposed: 'investigating',
  decided: 'handled',
  notified: 'handled',
  appealed: 'handled',
  closed: 'closed',
} as const;

/** The status of a complaint by its tracking code; NOT_FOUND for an unknown or malformed code. */
export async function complaintStatus(db: DbOrTx, code: string): Promise<ComplaintStatus> {
  const hash = trackingHash(code);
  const [m] = hash
    ? await db.select().from(misconductMatters).where(eq(misconductMatters.trackingHash, hash))
    : [];
  if (!m) throw new AppError('NOT_FOUND', 'no complaint has this tracking code');
  return {
    reference: m.id,
    kind: m.kind,
    receivedOn: m.receivedOn,
    status: publicStatus[m.state],
    since: m.stageSince,
    reply: m.state === 'notified' || m.state === 'closed' || m.state === 'appealed' ? m.publicReply : null,
  };
}

/** An internal report: the same fields; the reporter is known from the login. */
export const reportFormSchema = z.strictObject({
  kind: z.enum(['complaint', 'report']).default('complaint'),
  facts: z.string().trim().min(10, 'describe what happened (at least 10 characters)').max(100_000),
  /** Who it concerns, as the complainant knows them (a name, a window, a badge number). */
  concerned: z.string().trim().max(200).optional(),
  caseNo: z
    .string()
    .trim()
    .max(60)
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'a case number has letters, digits and dashes')
    .optional(),
  occurredOn: isoDate.optional(),
  anonymous: z.boolean().default(false),
  name: z.string().trim().min(1).max(50).optional(),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 -]{4,19}$/, 'a telephone number (digits, spaces, dashes)')
    .optional(),
  email: z.string().trim().max(200).email('an e-mail address').optional(),
});
/**
 * The public form (投诉举报): what a citizen or company may send, without logging in. A named
 * complaint needs a name and a telephone or e-mail; this is checked even when other fields are
 * wrong, so the form names every problem at once.
 */
export const complaintFormSchema = reportFormSchema.superRefine(
  (raw, ctx) => {
    // Runs even on input that failed elsewhere (`when`), so it may be anything at all.
    if (!raw || typeof raw !== 'object') return;
    const sent = raw as Record<string, unknown>;
    const blank = (k: string) => typeof sent[k] !== 'string' || (sent[k] as string).trim() === '';
    if (sent.anonymous === true) return;
    if (blank('name'))
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'give a name, or choose to stay anonymous' });
    if (blank('phone') && blank('email'))
      ctx.addIssue({
        code: 'custom',
        path: ['phone'],
        message: 'give a telephone number or an e-mail address, or choose to stay anonymous',
      });
  },
  { when: () => true },
);
export type ComplaintForm = z.input<typeof complaintFormSchema>;

/**
 * Files a complaint or report from the public form. Every problem is named at once (the form
 * shows each beside its field). Returns the tracking code, shown once.
 */
export async function fileComplaint(
  db: Db,
  raw: unknown,
  opts: { today?: string; policy?: MisconductPolicy; internal?: { staffNo: string; actor: string } } = {},
): Promise<RegisterResult & { trackingCode: string }> {
  const policy = opts.policy ?? misconductPolicy();
  const parsed = (opts.internal ? reportFormSchema : complaintFormSchema).safeParse(raw);
  const problems: FieldProblem[] = parsed.success ? [] : zodIssuesToProblems(parsed.error.issues);
  const today = opts.today ?? (await bureauToday(db));
  const form = parsed.success ? parsed.data : undefined;
  if (form) {
    if (form.facts.length > policy.publicForm.maxFactsChars)
      problems.push({ path: 'facts', message: `at most ${policy.publicForm.maxFactsChars} characters` });
    if (form.occurredOn && form.occurredOn > today)
      problems.push({ path: 'occurredOn', message: 'cannot be in the future' });
  }
  if (problems.length || !form) throw AppError.validation(problems);
  const facts = form.occurredOn ? `${form.facts}\n\n（发生日期 / date: ${form.occurredOn}）` : form.facts;
  const result = await registerMatter(
    db,
    {
      source: opts.internal ? 'staff' : 'public',
      kind: form.kind,
      staff: [],
      cases: form.caseNo ? [form.caseNo] : [],
      facts,
      concernedHint: form.concerned || undefined,
      complainant: {
        anonymous: form.anonymous,
        name: form.name,
        phone: form.phone,
        email: form.email,
        staffNo: opts.internal && !form.anonymous ? opts.internal.staffNo : undefined,
      },
    },
    opts.internal?.actor ?? 'public',
    { today, policy },
  );
  return result as RegisterResult & { trackingCode: string };
}
