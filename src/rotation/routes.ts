/**
 * The rotation API. HR plans (a draft, at once or as a background run with progress) and reads;
 * a leader approves (never the drafter: four eyes); the approved plan is applied by a leader or
 * HR; plans export as CSV and PDF (轮岗计划表). Permissions: subject `Rotation` of
 * policies/roles.yaml (create: plan; read; decide: approve; decide or update: apply, archive).
 *
 * @example
 * POST /api/rotation/plans {"date":"2027-01-01","rounds":1}           -> 201 the draft plan
 * POST /api/rotation/runs  {"date":"2027-01-01","rounds":3}           -> 202 {"id":"9f2c...","state":"running"}
 * POST /api/rotation/plans/3/approve {}                               -> 200 (leader)
 * GET  /api/rotation/plans/3/pdf?locale=zh-CN                         -> application/pdf
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { renderPdf } from '../documents/index.ts';
import { listPosts } from '../org/service.ts';
import { AppError } from '../platform/errors.ts';
import { type AppEnv, actorOf, guard, validationHook } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { planCsv, planDocument } from './document.ts';
import { policyOverridesSchema, wishSchema } from './policy.ts';
import { getRun, startRun } from './runs.ts';
import {
  applyPlan,
  approvePlan,
  archivePlan,
  draftPlan,
  getPlan,
  listPlans,
  organName,
  type PlanParams,
  rotationOverview,
} from './service.ts';

export const rotationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real date');

export const planParamsSchema = z
  .strictObject({
    date: isoDate.openapi({
      example: '2027-01-01',
      description: 'planning date: the first round takes effect on it',
    }),
    rounds: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .openapi({ description: 'yearly rounds (policy roundIntervalMonths)' }),
    overrides: policyOverridesSchema
      .optional()
      .openapi({ description: 'changes to policies/rotation.yaml for this plan' }),
    mustMove: z
      .array(
        z.strictObject({
          staff: z.string().trim().min(1).max(64),
          reason: z.string().trim().min(1).max(500),
        }),
      )
      .max(10_000)
      .optional(),
    wishes: z.array(wishSchema).max(10_000).optional(),
  })
  .openapi('RotationPlanParams');

const idParam = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});
const runParam = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{16}$/)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const localeQuery = z.object({ locale: z.enum(['zh-CN', 'en']).default('zh-CN') });
const noteBody = z.strictObject({ note: z.string().trim().max(1000).optional() });
const anyJson = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.any() } },
});

/** The validator's own refusal of a non-JSON body is a bare 415; answer with a problem instead. */
const jsonOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json')
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  await next();
};

/** Apply and archive: a leader (decide) or HR (update). */
const leaderOrHr: MiddlewareHandler<AppEnv> = async (c, next) => {
  const p = c.get('principal');
  if (p.ability.can('decide', 'Rotation') || p.ability.can('update', 'Rotation')) return next();
  if (p.kind === 'public') throw new AppError('UNAUTHENTICATED', 'log in first');
  throw new AppError('FORBIDDEN', `role ${p.role} may not apply or archive rotation plans`);
};

const actor = (c: Context<AppEnv>) => actorOf(c.get('principal'));

rotationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/rotation/plans',
    tags: ['rotation'],
    summary: 'Plan a rotation and store it as a draft (waits for the planner)',
    middleware: [guard('create', 'Rotation'), jsonOnly] as const,
    request: { body: { required: true, content: { 'application/json': { schema: planParamsSchema } } } },
    responses: {
      201: anyJson('The draft plan: moves with reasons, coverage, unmet rules, score, solver report'),
    },
  }),
  async (c) => {
    const plan = await draftPlan(c.get('deps').db, c.req.valid('json') as PlanParams, { actor: actor(c) });
    return c.json(plan, 201);
  },
);

rotationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/rotation/runs',
    tags: ['rotation'],
    summary: 'Start the planner in the background (big organisations); poll the run for progress',
    middleware: [guard('create', 'Rotation'), jsonOnly] as const,
    request: { body: { required: true, content: { 'application/json': { schema: planParamsSchema } } } },
    responses: { 202: anyJson('The run: id, state, progress') },
  }),
  async (c) => {
    const run = startRun(c.get('deps').db, c.req.valid('json') as PlanParams, actor(c));
    return c.json(run, 202);
  },
);

rotationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/rotation/runs/{id}',
    tags: ['rotation'],
    summary: 'A planner run: progress, and the draft plan id once done',
    middleware: [guard('create', 'Rotation')] as const,
    request: { params: runParam },
    responses: { 200: anyJson('The run') },
  }),
  async (c) => c.json(getRun(c.req.valid('param').id, actor(c)), 200),
);

rotationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/rotation/plans',
    tags: ['rotation'],
    summary: 'Rotation plans, newest first',
    middleware: [guard('read', 'Rotation')] as const,
    responses: { 200: anyJson('Plan summaries') },
  }),
  async (c) => c.json(await listPlans(c.get('deps').db), 200),
);

rotationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/rotation/plans/{id}',
    tags: ['rotation'],
    summary: 'One rotation plan in full',
    middleware: [guard('read', 'Rotation')] as const,
    request: { params: idParam },
    responses: { 200: anyJson('The plan') },
  }),
  async (c) => c.json(await getPlan(c.get('deps').db, c.req.valid('param').id), 200),
);

async function postNames(c: Context<AppEnv>) {
  const names = new Map((await listPosts(c.get('deps').db)).map((p) => [p.code, p.name]));
  return (code: string) => names.get(code) ?? code;
}

rotationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/rotation/plans/{id}/csv',
    tags: ['rotation'],
    summary: 'The moves of a plan as CSV',
    middleware: [guard('read', 'Rotation')] as const,
    request: { params: idParam, query: localeQuery },
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } },
  }),
  async (c) => {
    const plan = await getPlan(c.get('deps').db, c.req.valid('param').id);
    const csv = planCsv(plan, { locale: c.req.valid('query').locale, postName: await postNames(c) });
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(`${plan.number}.csv`)}`,
    });
  },
);

rotationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/rotation/plans/{id}/pdf',
    tags: ['rotation'],
    summary: 'A plan as the 轮岗计划表 PDF',
    middleware: [guard('read', 'Rotation')] as const,
    request: { params: idParam, query: localeQuery },
    responses: { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } } },
  }),
  async (c) => {
    const { db } = c.get('deps');
    const plan = await getPlan(db, c.req.valid('param').id);
    const doc = planDocument(plan, {
      organ: await organName(db),
      locale: c.req.valid('query').locale,
      postName: await postNames(c),
    });
    const { pdf } = await renderPdf(doc);
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(`${plan.number}.pdf`)}`,
    });
  },
);

const transitionRoute = (path: string, summary: string, middleware: MiddlewareHandler<AppEnv>) =>
  createRoute({
    method: 'post',
    path,
    tags: ['rotation'],
    summary,
    middleware: [middleware, jsonOnly] as const,
    request: {
      params: idParam,
      body: { required: true, content: { 'application/json': { schema: noteBody } } },
    },
    responses: { 200: anyJson('The plan after the change') },
  });

rotationRoutes.openapi(
  transitionRoute(
    '/api/rotation/plans/{id}/approve',
    'Approve a draft (a leader other than its drafter)',
    guard('decide', 'Rotation'),
  ),
  async (c) => {
    const plan = await approvePlan(c.get('deps').db, c.req.valid('param').id, {
      actor: actor(c),
      note: c.req.valid('json').note,
    });
    return c.json(plan, 200);
  },
);

rotationRoutes.openapi(
  transitionRoute(
    '/api/rotation/plans/{id}/apply',
    'Apply an approved plan: its moves become dated assignments',
    leaderOrHr,
  ),
  async (c) => c.json(await applyPlan(c.get('deps').db, c.req.valid('param').id, { actor: actor(c) }), 200),
);

rotationRoutes.openapi(
  transitionRoute('/api/rotation/plans/{id}/archive', 'Archive a plan', leaderOrHr),
  async (c) => {
    const plan = await archivePlan(c.get('deps').db, c.req.valid('param').id, {
      actor: actor(c),
      note: c.req.valid('json').note,
    });
    return c.json(plan, 200);
  },
);

rotationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/rotation/overview',
    tags: ['rotation'],
    summary: 'Competency matrix, holdings with tenure, warnings of tenure limits within a year, coverage now',
    middleware: [guard('read', 'Rotation')] as const,
    request: { query: z.object({ date: isoDate.optional() }) },
    responses: { 200: anyJson('The overview') },
  }),
  async (c) => {
    const { db, config } = c.get('deps');
    const date = c.req.valid('query').date ?? localDate(new Date(), config.timeZone);
    return c.json(await rotationOverview(db, date), 200);
  },
);
