/**
 * The `case-events` contract, version 1 (shared/contracts/case-events.md), as zod schemas: one
 * schema per line type and one `data` schema per action. Optional fields may be added; nothing
 * may be renamed or change meaning.
 *
 * The data schemas are deliberately lenient where a missing field is a *finding* rather than
 * malformed input: a `return` without reasons or an `extend` without `approvedBy` must still be
 * stored, so that verification can find it (否定报备制, Art. 42). Unknown keys inside `data` are
 * kept as sent.
 *
 * @example
 * caseLineSchema.parse(JSON.parse('{"type":"case","caseNo":"QZJS-2026-000123",...}'))
 * actionDataSchemas.extend.safeParse({ days: 5, approvedBy: 'S001', applicantNotified: true }).success // true
 */
import { z } from 'zod';
import { caseActions, channels, routes } from '../authority/index.ts';
import { isDateString } from '../calendar/index.ts';

// The contract's lists of actions, routes and channels are authority's (which decides on each
// action of the contract): one definition, named here as the contract reads.
export const ACTIONS = caseActions;
export type CaseAction = (typeof ACTIONS)[number];

export const ROUTES = routes;
export type CaseRoute = (typeof ROUTES)[number];
export const CHANNELS = channels;
export type CaseChannel = (typeof CHANNELS)[number];

/** Chinese names of the actions, for pages and messages. */
export const actionNames: Record<CaseAction, string> = {
  receipt: '收件回执',
  notify_supplement: '一次性告知',
  supplement: '补件',
  accept: '受理',
  review: '审核',
  dispatch: '并联分发',
  opinion: '并联意见',
  clock_stop: '不计时开始',
  clock_resume: '恢复计时',
  extend: '延期',
  approve: '准予许可',
  return: '退件/不予许可',
  file_rejection: '否定报备',
  seal: '用章',
  complete: '办结',
  announce: '办结公告',
  deliver: '送达/发证',
};

const code = z.string().trim().min(1, 'must not be empty').max(64, 'at most 64 characters');
const text = z.string().max(2000, 'at most 2000 characters');
const codes = z.array(code).max(500, 'at most 500 codes');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true })
  .refine(isDateString, 'not a calendar date');

/** ISO 8601 instant with an explicit offset (the contract's times). */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const instant = z
  .string()
  .regex(INSTANT, {
    message: 'must be an ISO 8601 time with an offset, e.g. 2026-03-02T09:15:00+08:00',
    abort: true,
  })
  .refine(realInstant, 'not a real time');

/**
 * A real calendar date and time of day, in the years the database and the calendar know. Runs
 * after the INSTANT pattern matched, so the digits are where it says (read by char code: this
 * is asked a million times).
 */
function realInstant(s: string): boolean {
  const year = digits2(s, 0) * 100 + digits2(s, 2);
  if (year < 1900 || year > 2999 || !isDateString(s.slice(0, 10))) return false;
  if (digits2(s, 11) > 23 || digits2(s, 14) > 59) return false;
  if (s.length > 19 && s[16] === ':' && digits2(s, 17) > 59) return false;
  if (s.endsWith('Z')) return true;
  return digits2(s, s.length - 5) <= 15 && digits2(s, s.length - 2) <= 59;
}

/** The two-digit number at `i` (the pattern has made sure these are digits). */
function digits2(s: string, i: number): number {
  return (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
}

const opinion = z.enum(['grant', 'refuse']);
const clockReason = z.enum(['hearing', 'expert_review', 'inspection', 'tender', 'other']);

/** The `data` of each action. Loose objects: extra keys are kept as sent. */
export const actionDataSchemas = {
  receipt: z.looseObject({ receiptNo: code }),
  notify_supplement: z.looseObject({ missing: codes }),
  supplement: z.looseObject({ materials: codes }),
  accept: z
    .looseObject({ missing: codes.optional(), dueBy: isoDate.optional() })
    .refine((d) => !d.missing?.length || d.dueBy !== undefined, {
      message: 'missing materials under tolerance need dueBy',
      path: ['dueBy'],
    }),
  review: z.looseObject({ opinion, note: text.optional() }),
  dispatch: z.looseObject({ departments: codes.min(1, 'name at least one department') }),
  opinion: z.looseObject({ department: code, opinion, note: text.optional() }),
  clock_stop: z.looseObject({ reason: clockReason, applicantNotified: z.boolean().optional() }),
  clock_resume: z.looseObject({ reason: clockReason.optional(), applicantNotified: z.boolean().optional() }),
  extend: z.looseObject({
    days: z.number().int('must be a whole number of working days').min(1).max(365),
    approvedBy: code.nullish(),
    applicantNotified: z.boolean().optional(),
    reason: text.optional(),
  }),
  approve: z.looseObject({}),
  return: z.looseObject({
    stage: z.enum(['intake', 'decision']),
    reasons: z.array(text).optional(),
    legalBasis: text.nullish(),
    remedies: z.array(text).optional(),
    appealRightsNotified: z.boolean().optional(),
  }),
  file_rejection: z.looseObject({ filedTo: code, note: text.optional() }),
  seal: z.looseObject({ seal: z.enum(['special', 'official']) }),
  complete: z.looseObject({ result: z.enum(['granted', 'returned']) }),
  announce: z.looseObject({}),
  deliver: z.looseObject({}),
} satisfies Record<CaseAction, z.ZodType>;

export const applicantSchema = z.strictObject({
  kind: z.enum(['person', 'org']),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  id: z.string().trim().min(1, 'must not be empty').max(64),
});

export const projectSchema = z.strictObject({
  code: code,
  name: z.string().trim().min(1).max(200),
  key: z.boolean().default(false),
});

export const caseLineSchema = z.strictObject({
  type: z.literal('case'),
  caseNo: code,
  itemCode: code,
  route: z.enum(ROUTES),
  channel: z.enum(CHANNELS),
  receivedAt: instant,
  applicant: applicantSchema,
  project: projectSchema.nullish(),
});
export type CaseLine = z.output<typeof caseLineSchema>;

/** The event line without its `data`, which is checked by `actionDataSchemas[action]`. */
export const eventLineSchema = z.strictObject({
  type: z.literal('event'),
  caseNo: code,
  seq: z.number().int('must be a whole number').min(1, 'starts at 1').max(100_000),
  at: instant,
  action: z.enum(ACTIONS, { error: `unknown action; one of ${ACTIONS.join(', ')}` }),
  actor: code,
  data: z.record(z.string(), z.unknown()).default({}),
});
export type EventLine = z.output<typeof eventLineSchema> & { action: CaseAction };

export type ParsedLine =
  | { ok: true; type: 'case'; line: CaseLine }
  | { ok: true; type: 'event'; line: EventLine }
  | { ok: false; message: string; type?: 'case' | 'event'; caseNo?: string };

function issuesText(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix = '') {
  return issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      return path ? `${path}: ${i.message}` : i.message;
    })
    .join('; ');
}

/**
 * Checks one parsed JSON value against the contract. A bad line comes back with one message
 * naming every field at fault, and the case number when it could be read (so the events of a
 * bad case line can say why their case is unknown).
 *
 * @example
 * parseContractLine({ type: 'event', caseNo: 'C1', seq: 1, at: 'x', action: 'fly', actor: 'S1' })
 * // { ok: false, message: 'at: must be an ISO 8601 time ...; action: unknown action; ...', type: 'event', caseNo: 'C1' }
 */
export function parseContractLine(value: unknown, opts: { fast?: boolean } = {}): ParsedLine {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, message: 'not a JSON object' };
  const fast = opts.fast === false ? null : fastParse(value as Record<string, unknown>);
  if (fast) return fast;
  const v = value as Record<string, unknown>;
  const caseNo = typeof v.caseNo === 'string' ? v.caseNo : undefined;
  if (v.type === 'case') {
    const r = caseLineSchema.safeParse(v);
    if (r.success) return { ok: true, type: 'case', line: r.data };
    return { ok: false, type: 'case', caseNo, message: issuesText(r.error.issues) };
  }
  if (v.type === 'event') {
    const r = eventLineSchema.safeParse(v);
    const action = r.success ? r.data.action : (v.action as CaseAction);
    const dataSchema = Object.hasOwn(actionDataSchemas, action as string) ? actionDataSchemas[action] : null;
    const d =
      dataSchema && v.data !== undefined && typeof v.data === 'object' ? dataSchema.safeParse(v.data) : null;
    if (r.success && (d === null || d.success)) {
      // The data is stored as sent (zod defaults and transforms are for checking only).
      if (dataSchema && v.data === undefined) {
        const empty = dataSchema.safeParse({});
        if (!empty.success)
          return { ok: false, type: 'event', caseNo, message: issuesText(empty.error.issues, 'data') };
      }
      return {
        ok: true,
        type: 'event',
        line: { ...r.data, data: (v.data as Record<string, unknown>) ?? {} },
      };
    }
    const parts = [];
    if (!r.success) parts.push(issuesText(r.error.issues));
    if (d && !d.success) parts.push(issuesText(d.error.issues, 'data'));
    return { ok: false, type: 'event', caseNo, message: parts.join('; ') };
  }
  return {
    ok: false,
    caseNo,
    message:
      v.type === undefined
        ? 'type: required ("case" or "event")'
        : `type: unknown line type ${JSON.stringify(v.type)} ("case" or "event")`,
  };
}

// ---- the fast path ----
//
// A million lines through zod cost seconds; almost all of them are well formed. `fastParse`
// accepts a line only when every rule of the schemas above plainly holds (and builds exactly the
// value zod would), and otherwise returns null so that zod decides and words the problems. It may
// hand zod a good line; it must never accept one zod would refuse.

const ACTION_SET = new Set<string>(ACTIONS);
const ROUTE_SET = new Set<string>(ROUTES);
const CHANNEL_SET = new Set<string>(CHANNELS);
const EVENT_KEYS = new Set(['type', 'caseNo', 'seq', 'at', 'action', 'actor', 'data']);
const CASE_KEYS = new Set([
  'type',
  'caseNo',
  'itemCode',
  'route',
  'channel',
  'receivedAt',
  'applicant',
  'project',
]);

/** A string zod's `code` takes unchanged: no surrounding blanks, 1-64 characters. */
const isCode = (v: unknown): v is string =>
  typeof v === 'string' && v.length >= 1 && v.length <= 64 && v.trim() === v;
const isName = (v: unknown): v is string =>
  typeof v === 'string' && v.length >= 1 && v.length <= 200 && v.trim() === v;
const isInstant = (v: unknown): v is string => typeof v === 'string' && INSTANT.test(v) && realInstant(v);
const onlyKeys = (o: Record<string, unknown>, keys: Set<string>) => {
  for (const k in o) if (!keys.has(k)) return false;
  return true;
};
const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Data shapes checked here; other actions go to zod. */
const fastData: Partial<Record<CaseAction, (d: Record<string, unknown>) => boolean>> = {
  receipt: (d) => isCode(d.receiptNo),
  accept: (d) => d.missing === undefined && d.dueBy === undefined,
  review: (d) => (d.opinion === 'grant' || d.opinion === 'refuse') && d.note === undefined,
  approve: () => true,
  seal: (d) => d.seal === 'special' || d.seal === 'official',
  complete: (d) => d.result === 'granted' || d.result === 'returned',
  announce: () => true,
  deliver: () => true,
};

function fastParse(v: Record<string, unknown>): ParsedLine | null {
  if (v.type === 'event') {
    if (!onlyKeys(v, EVENT_KEYS)) return null;
    const { caseNo, seq, at, action, actor, data } = v;
    if (!isCode(caseNo) || !isCode(actor) || !isInstant(at)) return null;
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1 || seq > 100_000) return null;
    if (typeof action !== 'string' || !ACTION_SET.has(action)) return null;
    const d = data === undefined ? {} : data;
    if (!isPlain(d)) return null;
    const check = fastData[action as CaseAction];
    if (!check?.(d)) return null;
    return {
      ok: true,
      type: 'event',
      line: { type: 'event', caseNo, seq, at, action: action as CaseAction, actor, data: d },
    };
  }
  if (v.type === 'case') {
    if (!onlyKeys(v, CASE_KEYS)) return null;
    const { caseNo, itemCode, route, channel, receivedAt, applicant, project } = v;
    if (!isCode(caseNo) || !isCode(itemCode) || !isInstant(receivedAt)) return null;
    if (typeof route !== 'string' || !ROUTE_SET.has(route)) return null;
    if (typeof channel !== 'string' || !CHANNEL_SET.has(channel)) return null;
    if (!isPlain(applicant) || !onlyKeys(applicant, APPLICANT_KEYS)) return null;
    if (
      (applicant.kind !== 'person' && applicant.kind !== 'org') ||
      !isName(applicant.name) ||
      !isCode(applicant.id)
    )
      return null;
    let p: CaseLine['project'];
    if (project === undefined) p = undefined;
    else if (project === null) p = null;
    else {
      if (!isPlain(project) || !onlyKeys(project, PROJECT_KEYS)) return null;
      if (!isCode(project.code) || !isName(project.name)) return null;
      if (project.key !== undefined && typeof project.key !== 'boolean') return null;
      p = { code: project.code, name: project.name, key: project.key ?? false };
    }
    return {
      ok: true,
      type: 'case',
      line: {
        type: 'case',
        caseNo,
        itemCode,
        route: route as CaseRoute,
        channel: channel as CaseChannel,
        receivedAt,
        applicant: { kind: applicant.kind, name: applicant.name, id: applicant.id },
        ...(p === undefined ? {} : { project: p }),
      },
    };
  }
  return null;
}

const APPLICANT_KEYS = new Set(['kind', 'name', 'id']);
const PROJECT_KEYS = new Set(['code', 'name', 'key']);
