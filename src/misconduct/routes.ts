/**
 * The misconduct API. Public: file a complaint (no login, rate- and size-limited) and follow it
 * by tracking code. Staff: internal reports, their own record, appeals. Inspectors: intake, the
 * workflow, evidence, grading previews, statistics. Leaders: the decision queue, decisions and
 * appeal reviews. HR: levels and effects only. Permissions come from policies/roles.yaml; the
 * service adds the rules that depend on the matter (assigned inspector, four eyes, 回避).
 *
 * @example
 * POST /api/complaints {"kind":"complaint","facts":"...","anonymous":true}  -> 201 {"trackingCode":"K7QM-2XHD-9RTB-W3PN",...}
 * POST /api/misconduct/matters/7/propose {"faultType":"late-completion","factors":["intent"],"summary":"..."}
 */
import { subject } from '@casl/ability';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { issuedDocumentPdf } from '../documents/registry.ts';
import { AppError, problem } from '../platform/errors.ts';
import { type AppEnv, assertCan, guard, validationHook } from '../platform/http.ts';
import type { Action } from '../platform/roles.ts';
import { localDate } from '../platform/time.ts';
import { actorString, type Ctx, getMatter, misconductClock } from './common.ts';
import { effectsOverview, isBarredFromMerit } from './effects.ts';
import { addEvidence, getEvidence } from './evidence.ts';
import {
  complaintFormSchema,
  complaintStatus,
  fileComplaint,
  registerMatter,
  registerMatterSchema,
  reportFormSchema,
} from './intake.ts';
import { misconductPolicy } from './policy.ts';
import { complainantOf } from './privacy.ts';
import { rateLimit, TokenBuckets } from './rate-limit.ts';
import { pullReferrals } from './referrals.ts';
import { matterSources, matterStates, misconductPersons } from './schema.ts';
import { misconductStats } from './stats.ts';
import { decisionQueue, listMatters, matterDetail, ownMatters, readsAll } from './views.ts';
import {
  addNote,
  appealDecisionSchema,
  appealSchema,
  assignMatter,
  assignSchema,
  closeMatter,
  decideAppeal,
  decideMatter,
  decideSchema,
  fileAppeal,
  noteSchema,
  notifyMatter,
  notifySchema,
  previewGrades,
  proposeMatter,
  proposeSchema,
  returnProposal,
  returnSchema,
  startInvestigation,
  updateMatter,
  updateSchema,
} from './workflow.ts';

export const misconductRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** The context of a request: who, the bureau's date today, the policy, the public URL. */
export function ctxOf(c: Context<AppEnv>): Ctx {
  const { config } = c.get('deps');
  return {
    who: c.get('principal'),
    today: localDate(misconductClock.now(), config.timeZone),
    policy: misconductPolicy(),
    publicUrl: config.publicUrl,
  };
}

/**
 * Unconditional permission: a grant limited to one's own matters (a clerk's) does not open the
 * routes that act on anyone's.
 */
function guardAll(action: Action): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal');
    if (!p.ability.can(action, subject('Misconduct', { staff: '\u0000nobody', decided: true }) as any)) {
      if (p.kind === 'public') throw new AppError('UNAUTHENTICATED', 'log in first');
      throw new AppError('FORBIDDEN', `role ${p.role} may not ${action} misconduct matters`);
    }
    await next();
  };
}

/**
 * JSON bodies only, refused as a problem document (the validator's own refusal is a bare 415
 * that the app would turn into a 500).
 */
export const jsonOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json')
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  await next();
};

const anyJson = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.any() } },
});
const idParam = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' }, example: 7 }),
});
const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { required: true, content: { 'application/json': { schema } } },
});

// ---- public: complaint form and status ----------------------------------------------------------

let limiters: { key: string; submit: TokenBuckets; lookup: TokenBuckets } | undefined;
/** The form's buckets, rebuilt when the policy's limits change. */
export function publicLimiters() {
  const { submit, lookup } = misconductPolicy().publicForm;
  const key = JSON.stringify([submit, lookup]);
  if (!limiters || limiters.key !== key)
    limiters = { key, submit: new TokenBuckets(submit), lookup: new TokenBuckets(lookup) };
  return limiters;
}

/** The form's own, small body limit (the app's 1 MiB is for everything else). */
export const formBodyLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const max = misconductPolicy().publicForm.maxBodyBytes;
  return bodyLimit({
    maxSize: max,
    onError: (c) => problem(c, new AppError('PAYLOAD_TOO_LARGE', `a complaint is at most ${max} bytes`)),
  })(c, next);
};

misconductRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/complaints',
    tags: ['misconduct'],
    summary:
      'File a complaint or report (投诉举报); no login, anonymous allowed. The tracking code is shown once.',
    middleware: [
      formBodyLimit,
      guard('create', 'Complaint'),
      rateLimit(() => publicLimiters().submit),
      jsonOnly,
    ] as const,
    request: jsonBody(complaintFormSchema),
    responses: {
      201: {
        description: 'Filed',
        content: {
          'application/json': {
            schema: z.object({ reference: z.number(), trackingCode: z.string(), receivedOn: z.string() }),
          },
        },
      },
    },
  }),
  async (c) => {
    const r = await fileComplaint(c.get('deps').db, c.req.valid('json'), { today: ctxOf(c).today });
    return c.json({ reference: r.id, trackingCode: r.trackingCode, receivedOn: r.receivedOn }, 201);
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/complaints/status',
    tags: ['misconduct'],
    summary: 'Where a complaint stands, by its tracking code (sent in the body, so it stays out of logs)',
    middleware: [
      formBodyLimit,
      guard('read', 'ComplaintStatus'),
      rateLimit(() => publicLimiters().lookup),
      jsonOnly,
    ] as const,
    request: jsonBody(z.object({ code: z.string().min(1).max(40) })),
    responses: { 200: anyJson('The status and the reply, if any') },
  }),
  async (c) => c.json(await complaintStatus(c.get('deps').db, c.req.valid('json').code), 200),
);

// ---- staff: internal report, own record, appeal -------------------------------------------------

misconductRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/misconduct/reports',
    tags: ['misconduct'],
    summary: "A staff member's internal report; the reporter's identity is protected like a complainant's",
    middleware: [guard('create', 'Complaint'), jsonOnly] as const,
    request: jsonBody(reportFormSchema),
    responses: { 201: anyJson('Filed, with the tracking code shown once') },
  }),
  async (c) => {
    const p = c.get('principal');
    if (p.kind === 'public') throw new AppError('UNAUTHENTICATED', 'log in first');
    if (p.kind !== 'user' || !p.staffNo)
      throw new AppError('FORBIDDEN', 'internal reports come from staff accounts');
    const r = await fileComplaint(c.get('deps').db, c.req.valid('json'), {
      today: ctxOf(c).today,
      internal: { staffNo: p.staffNo, actor: actorString(p) },
    });
    return c.json({ reference: r.id, trackingCode: r.trackingCode, receivedOn: r.receivedOn }, 201);
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/misconduct/mine',
    tags: ['misconduct'],
    summary: 'My own decided matters (my record), without complainants',
    middleware: [guard('read', 'Misconduct')] as const,
    responses: { 200: anyJson('My decided matters, newest first') },
  }),
  async (c) => {
    const p = c.get('principal');
    if (!p.staffNo) throw new AppError('FORBIDDEN', 'this account is not linked to a staff member');
    assertCan(c, 'read', 'Misconduct', { staff: p.staffNo, decided: true });
    const ctx = ctxOf(c);
    const { db } = c.get('deps');
    return c.json(
      {
        staff: p.staffNo,
        meritBarred: await isBarredFromMerit(db, p.staffNo, Number(ctx.today.slice(0, 4))),
        matters: await ownMatters(db, p.staffNo, ctx.policy, ctx.today),
      },
      200,
    );
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/misconduct/matters/{id}/appeal',
    tags: ['misconduct'],
    summary: '申诉: the person concerned appeals, within the period (or the inspector records it for them)',
    middleware: [guard('update', 'Misconduct'), jsonOnly] as const,
    request: { params: idParam, ...jsonBody(appealSchema) },
    responses: { 200: anyJson('Appeal filed') },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    assertCan(c, 'update', 'Misconduct', { staff: body.staff, decided: true });
    return c.json(await fileAppeal(c.get('deps').db, ctxOf(c), id, body), 200);
  },
);

// ---- inspectors and leaders --------------------------------------------------------------------

misconductRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/misconduct/matters',
    tags: ['misconduct'],
    summary: 'Register a matter from any source (idempotent per source and sourceRef)',
    middleware: [guardAll('create'), jsonOnly] as const,
    request: jsonBody(registerMatterSchema),
    responses: { 201: anyJson('Registered'), 200: anyJson('Already registered under this sourceRef') },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const r = await registerMatter(c.get('deps').db, c.req.valid('json'), ctx.who, { today: ctx.today });
    return c.json(r, r.created ? 201 : 200);
  },
);

const listQuery = z.object({
  state: z.string().optional().openapi({ description: 'comma-separated states' }),
  source: z.string().optional(),
  light: z.string().optional(),
  inspector: z.string().optional(),
  staff: z.string().optional(),
  faultType: z.string().optional(),
  receivedFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  receivedTo: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

const csv = <T extends string>(
  s: string | undefined,
  allowed: readonly T[],
  path: string,
): T[] | undefined => {
  if (!s) return undefined;
  const list = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((x) => !allowed.includes(x as T));
  if (bad.length)
    throw AppError.validation([
      { path: `query.${path}`, message: `unknown: ${bad.join(', ')} (use ${allowed.join(', ')})` },
    ]);
  return list as T[];
};

misconductRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/misconduct/matters',
    tags: ['misconduct'],
    summary:
      'Matters, most urgent first, filtered by state, source, light, inspector, staff, fault type, dates',
    middleware: [guardAll('read')] as const,
    request: { query: listQuery },
    responses: { 200: anyJson('{ total, rows }') },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const ctx = ctxOf(c);
    return c.json(
      await listMatters(
        c.get('deps').db,
        {
          state: csv(q.state, matterStates, 'state'),
          source: csv(q.source, matterSources, 'source'),
          light: csv(q.light, ['green', 'yellow', 'red', 'none'] as const, 'light'),
          inspector: q.inspector,
          staff: q.staff,
          faultType: q.faultType,
          receivedFrom: q.receivedFrom,
          receivedTo: q.receivedTo,
        },
        ctx.today,
        { limit: q.limit, offset: q.offset },
      ),
      200,
    );
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/misconduct/matters/{id}',
    tags: ['misconduct'],
    summary:
      "A matter as the caller may see it (whole for inspectors and leaders, one's own decided matter for staff)",
    middleware: [guard('read', 'Misconduct')] as const,
    request: { params: idParam },
    responses: { 200: anyJson('The matter') },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    return c.json(
      await matterDetail(
        c.get('deps').db,
        c.req.valid('param').id,
        c.get('principal'),
        ctx.today,
        ctx.policy,
      ),
      200,
    );
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/misconduct/matters/{id}/complainant',
    tags: ['misconduct'],
    summary:
      "The complainant's identity: the assigned inspector and the deciding leader only; every read is audited",
    middleware: [guardAll('read')] as const,
    request: { params: idParam },
    responses: { 200: anyJson('The identity (null fields when anonymous or erased)') },
  }),
  async (c) =>
    c.json(await complainantOf(c.get('deps').db, c.req.valid('param').id, c.get('principal')), 200),
);

/** A workflow verb: unconditional `action` on Misconduct, then the service's own rules. */
function verb<T extends z.ZodType>(
  path: string,
  summary: string,
  action: Action,
  schema: T | null,
  fn: (c: Context<AppEnv>, ctx: Ctx, id: number, body: z.output<T>) => Promise<unknown>,
) {
  misconductRoutes.openapi(
    createRoute({
      method: 'post',
      path,
      tags: ['misconduct'],
      summary,
      middleware: (schema ? [guardAll(action), jsonOnly] : [guardAll(action)]) as [MiddlewareHandler<AppEnv>],
      request: schema ? { params: idParam, ...jsonBody(schema) } : { params: idParam },
      responses: { 200: anyJson('Done') },
    }),
    async (c: any) => {
      const id = c.req.valid('param').id as number;
      const body = schema ? c.req.valid('json') : undefined;
      return c.json(await fn(c, ctxOf(c), id, body), 200);
    },
  );
}

verb(
  '/api/misconduct/matters/{id}/assign',
  'Assign to an inspector not concerned in the matter',
  'update',
  assignSchema,
  (c, ctx, id, b) => assignMatter(c.get('deps').db, ctx, id, b),
);
verb(
  '/api/misconduct/matters/{id}/start',
  'The assigned inspector starts investigating',
  'update',
  null,
  (c, ctx, id) => startInvestigation(c.get('deps').db, ctx, id),
);
verb(
  '/api/misconduct/matters/{id}/details',
  'Correct the kind, fault type, cases and people concerned',
  'update',
  updateSchema,
  (c, ctx, id, b) => updateMatter(c.get('deps').db, ctx, id, b),
);
verb(
  '/api/misconduct/matters/{id}/notes',
  'Add an investigation note',
  'update',
  noteSchema,
  (c, ctx, id, b) => addNote(c.get('deps').db, ctx, id, b),
);
verb(
  '/api/misconduct/matters/{id}/propose',
  'Propose the handling: the system grades, the inspector may depart with a reason',
  'update',
  proposeSchema,
  (c, ctx, id, b) => proposeMatter(c.get('deps').db, ctx, id, b),
);
verb(
  '/api/misconduct/matters/{id}/decide',
  'A leader other than the proposer decides; documents are issued',
  'decide',
  decideSchema,
  (c, ctx, id, b) => decideMatter(c.get('deps').db, ctx, id, b),
);
verb(
  '/api/misconduct/matters/{id}/return',
  'A leader returns the proposal for more investigation',
  'decide',
  returnSchema,
  (c, ctx, id, b) => returnProposal(c.get('deps').db, ctx, id, b),
);
verb(
  '/api/misconduct/matters/{id}/notify',
  'Record that the decision was delivered; the appeal period starts',
  'update',
  notifySchema,
  (c, ctx, id, b) => notifyMatter(c.get('deps').db, ctx, id, b),
);
verb(
  '/api/misconduct/matters/{id}/appeal-decision',
  '复核: a leader other than the decider decides an appeal',
  'decide',
  appealDecisionSchema,
  (c, ctx, id, b) => decideAppeal(c.get('deps').db, ctx, id, b),
);
verb(
  '/api/misconduct/matters/{id}/close',
  'Close once the appeal period has passed',
  'update',
  null,
  (c, ctx, id) => closeMatter(c.get('deps').db, ctx, id),
);

misconductRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/misconduct/matters/{id}/grade',
    tags: ['misconduct'],
    summary: 'Preview the grading of a proposal, line by line, without changing anything',
    middleware: [guardAll('read'), jsonOnly] as const,
    request: { params: idParam, ...jsonBody(proposeSchema) },
    responses: { 200: anyJson('Each person: computed level and its lines') },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const { db } = c.get('deps');
    const m = await getMatter(db, c.req.valid('param').id);
    return c.json({ persons: await previewGrades(db, ctx, m, c.req.valid('json')) }, 200);
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/misconduct/evidence',
    tags: ['misconduct'],
    summary:
      'Upload an evidence file (multipart: matter, file): PDF, JPEG or PNG, judged by content, at most 10 MiB',
    middleware: [guardAll('update')] as const,
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: z.object({
              matter: z.string(),
              file: z.any().openapi({ type: 'string', format: 'binary' }),
            }),
          },
        },
      },
    },
    responses: { 201: anyJson('Stored') },
  }),
  async (c) => {
    const form = await c.req.parseBody();
    const matter = Number(form.matter);
    const file = form.file;
    const problems = [];
    if (!Number.isInteger(matter) || matter < 1)
      problems.push({ path: 'matter', message: 'the matter number' });
    if (!(file instanceof File)) problems.push({ path: 'file', message: 'choose a file' });
    if (problems.length) throw AppError.validation(problems);
    const f = file as File;
    const bytes = new Uint8Array(await f.arrayBuffer());
    return c.json(await addEvidence(c.get('deps').db, ctxOf(c), matter, { fileName: f.name, bytes }), 201);
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/misconduct/evidence/{id}',
    tags: ['misconduct'],
    summary: 'Download an evidence file',
    middleware: [guardAll('read')] as const,
    request: { params: idParam },
    responses: {
      200: { description: 'The file', content: { 'application/octet-stream': { schema: z.string() } } },
    },
  }),
  async (c) => {
    const e = await getEvidence(c.get('deps').db, c.req.valid('param').id);
    return c.body(new Uint8Array(e.content), 200, {
      'content-type': e.mediaType,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(e.fileName)}`,
      'x-content-type-options': 'nosniff',
    });
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/misconduct/matters/{id}/documents/{staff}',
    tags: ['misconduct'],
    summary: 'The decision document (处理决定书) of one person, as issued (PDF)',
    middleware: [guard('read', 'Misconduct')] as const,
    request: {
      params: idParam.extend({
        staff: z
          .string()
          .min(1)
          .openapi({ param: { name: 'staff', in: 'path' } }),
      }),
    },
    responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } } },
  }),
  async (c) => {
    const { id, staff } = c.req.valid('param');
    const { db } = c.get('deps');
    const p = c.get('principal');
    const m = await getMatter(db, id);
    const own = p.staffNo === staff && m.staff.includes(staff) && !!m.decidedOn;
    if (!readsAll(p)) {
      if (!own) throw new AppError('FORBIDDEN', 'only your own decision documents');
      assertCan(c, 'read', 'Misconduct', { staff, decided: true });
    }
    const [person] = await db
      .select({ number: misconductPersons.documentNumber })
      .from(misconductPersons)
      .where(and(eq(misconductPersons.matterId, id), eq(misconductPersons.staffNo, staff)));
    const pdf = person?.number ? await issuedDocumentPdf(db, person.number) : null;
    if (!pdf) throw new AppError('NOT_FOUND', `no decision document for ${staff} in matter ${id}`);
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(`${person.number}.pdf`)}`,
      'x-document-number': encodeURIComponent(person.number!),
    });
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/misconduct/queue',
    tags: ['misconduct'],
    summary: "The leaders' queue: proposals and appeals awaiting a decision",
    middleware: [guardAll('decide')] as const,
    responses: { 200: anyJson('Queue') },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    return c.json(await decisionQueue(c.get('deps').db, c.get('principal'), ctx.today, ctx.policy), 200);
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/misconduct/effects',
    tags: ['misconduct'],
    summary: 'Levels and effects per staff member (评优评先 bars, must-move, suspensions), never facts',
    middleware: [guard('read', 'MisconductEffect')] as const,
    request: {
      query: z.object({
        staff: z.string().optional(),
        year: z.coerce.number().int().min(2000).max(2100).optional(),
        active: z.enum(['true', 'false']).optional(),
      }),
    },
    responses: { 200: anyJson('Effects') },
  }),
  async (c) => {
    const q = c.req.valid('query');
    return c.json(
      await effectsOverview(c.get('deps').db, {
        staff: q.staff,
        year: q.year,
        activeOnly: q.active === 'true',
      }),
      200,
    );
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/misconduct/stats',
    tags: ['misconduct'],
    summary: 'Statistics by level, fault type, department, source and month',
    middleware: [guardAll('read')] as const,
    request: {
      query: z.object({
        from: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
        to: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional(),
      }),
    },
    responses: { 200: anyJson('Counts') },
  }),
  async (c) => c.json(await misconductStats(c.get('deps').db, c.req.valid('query')), 200),
);

misconductRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/misconduct/policy',
    tags: ['misconduct'],
    summary: 'The grading scheme in force: levels, fault types, factors, exemptions, deadlines',
    middleware: [guardAll('read')] as const,
    responses: { 200: anyJson('policies/misconduct.yaml, parsed') },
  }),
  async (c) => {
    const p = misconductPolicy();
    return c.json(
      {
        scheme: p.scheme,
        levels: p.levels,
        severities: p.severities,
        faultTypes: p.faultTypes,
        factors: p.factors,
        exemptions: p.exemptions,
        repeat: p.repeat,
        responsibility: p.responsibility,
        deadlines: p.deadlines,
        appeal: p.appeal,
      },
      200,
    );
  },
);

misconductRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/misconduct/referrals/pull',
    tags: ['misconduct'],
    summary: 'Register matters for red cards and actions outside authority (idempotent)',
    middleware: [guardAll('create')] as const,
    responses: { 200: anyJson('What was seen and created per source') },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    return c.json(
      await pullReferrals(c.get('deps').db, { today: ctx.today, actor: actorString(ctx.who) }),
      200,
    );
  },
);
