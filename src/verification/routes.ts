/**
 * Verification over HTTP: start a run (a job with progress), read runs, their findings (filters,
 * keyset paging), a summary by check and by clerk, one case's results; issue rulings and fetch
 * their PDFs; the failures pending referral to misconduct. Inspectors run and rule; leaders read.
 *
 * @example
 * POST /api/verification/runs {"from":"2026-03-01","to":"2026-03-31"}   // 202 { id: 7, status: { status: 'queued', ... } }
 * GET  /api/verification/runs/7                                         // progress: done / total
 * GET  /api/verification/runs/7/findings?result=fail&check=timely&limit=50
 * POST /api/verification/runs/7/rulings {"caseNos":["QZJS-2026-000123"],"locale":"zh-CN"}
 * GET  /api/verification/rulings/%E6%B3%89...%E5%8F%B7/pdf
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { AppError } from '../platform/errors.ts';
import { type AppEnv, actorOf, guard, validationHook } from '../platform/http.ts';
import { CHECKS } from './policy.ts';
import { failuresByClerk, getRun, listFindings, listRuns, type RunView } from './query.ts';
import { listFailuresForReferral } from './referrals.ts';
import { issueRulings, listRulings, rulingPdf } from './ruling.ts';
import { MAX_CASES_LISTED, startRun } from './run.ts';

export const verificationRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const idParam = z.object({
  id: z.coerce
    .number()
    .int()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' }, example: 7 }),
});
const anyJson = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
});
const locale = z.enum(['zh-CN', 'en']);

/** A run as JSON (dates as ISO strings). */
function runOut(r: RunView) {
  return JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
}

verificationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/verification/runs',
    tags: ['verification'],
    summary: 'Start a verification run over a period or a list of cases (a job; poll its progress)',
    middleware: [guard('create', 'Verification')] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({
              from: day.optional().openapi({ description: 'first day of the period (local date)' }),
              to: day.optional().openapi({ description: 'last day of the period (inclusive)' }),
              caseNos: z.array(z.string()).max(MAX_CASES_LISTED).optional(),
              asOf: z.iso
                .datetime({ offset: true })
                .optional()
                .openapi({ description: 'time of asking (default now)' }),
            }),
          },
        },
      },
    },
    responses: { 202: anyJson('The run, recorded and started') },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const { db, config } = c.get('deps');
    const { run } = await startRun(db, {
      from: body.from,
      to: body.to,
      caseNos: body.caseNos,
      asOf: body.asOf ? new Date(body.asOf) : undefined,
      actor: actorOf(c.get('principal')),
      timeZone: config.timeZone,
    });
    const view = await getRun(db, run.id);
    c.header('location', `/api/verification/runs/${run.id}`);
    return c.json(runOut(view!), 202);
  },
);

verificationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/verification/runs',
    tags: ['verification'],
    summary: 'Runs, newest first, with their progress',
    middleware: [guard('read', 'Verification')] as const,
    request: {
      query: z.object({
        limit: z.coerce.number().int().min(1).max(200).optional(),
        before: z.coerce.number().int().min(1).optional(),
      }),
    },
    responses: { 200: anyJson('Runs') },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const runs = await listRuns(c.get('deps').db, q);
    return c.json({ runs: runs.map(runOut) }, 200);
  },
);

verificationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/verification/runs/{id}',
    tags: ['verification'],
    summary: 'A run: what it covers, the policy it used, its status and progress, counts per check',
    middleware: [guard('read', 'Verification')] as const,
    request: { params: idParam },
    responses: { 200: anyJson('The run') },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const run = await getRun(c.get('deps').db, id);
    if (!run) throw new AppError('NOT_FOUND', `no verification run ${id}`);
    return c.json(runOut(run), 200);
  },
);

const findingRow = z.object({
  caseNo: z.string(),
  check: z.enum(CHECKS),
  result: z.enum(['pass', 'fail', 'not_applicable']),
  detail: z.string(),
  staff: z.array(z.string()),
  reason: z.string().optional(),
  faultType: z.string().optional(),
});

verificationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/verification/runs/{id}/findings',
    tags: ['verification'],
    summary: 'Results of a run per case and check, filtered and keyset-paged',
    middleware: [guard('read', 'Verification')] as const,
    request: {
      params: idParam,
      query: z.object({
        check: z.enum(CHECKS).optional(),
        result: z.enum(['pass', 'fail', 'not_applicable']).optional(),
        staff: z
          .string()
          .min(1)
          .max(64)
          .optional()
          .openapi({ description: 'failures this staff member is responsible for' }),
        caseNo: z.string().min(1).max(64).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
        cursor: z.string().max(500).optional(),
        lang: locale.optional().openapi({ description: 'language of the detail (default zh-CN)' }),
      }),
    },
    responses: {
      200: {
        description: 'One page; pass nextCursor back as cursor for the next',
        content: {
          'application/json': {
            schema: z.object({
              rows: z.array(findingRow),
              nextCursor: z.string().nullable(),
              total: z.number(),
            }),
          },
        },
      },
    },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const q = c.req.valid('query');
    const page = await listFindings(
      c.get('deps').db,
      id,
      { check: q.check, result: q.result, staff: q.staff, caseNo: q.caseNo },
      { limit: q.limit, cursor: q.cursor, locale: q.lang },
    );
    return c.json(page, 200);
  },
);

verificationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/verification/runs/{id}/summary',
    tags: ['verification'],
    summary: 'Results per check, and failures per clerk responsible',
    middleware: [guard('read', 'Verification')] as const,
    request: { params: idParam },
    responses: { 200: anyJson('The summary') },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { db } = c.get('deps');
    const run = await getRun(db, id);
    if (!run) throw new AppError('NOT_FOUND', `no verification run ${id}`);
    return c.json({ byCheck: run.status.summary, byClerk: await failuresByClerk(db, id) }, 200);
  },
);

verificationRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/verification/runs/{id}/rulings',
    tags: ['verification'],
    summary: 'Issue rulings (核查意见书): for named cases of the run, or every case with a failure',
    middleware: [guard('create', 'Ruling')] as const,
    request: {
      params: idParam,
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({
              caseNos: z.array(z.string().min(1).max(64)).max(1000).optional(),
              failing: z.boolean().optional(),
              limit: z.number().int().min(1).max(10_000).optional(),
              locale: locale.default('zh-CN'),
            }),
          },
        },
      },
    },
    responses: { 201: anyJson('The rulings (created: false for ones issued before)') },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    if (!body.failing && !body.caseNos?.length)
      throw AppError.validation([
        { path: 'caseNos', message: 'name the cases, or ask for every failing case (failing: true)' },
      ]);
    const { db, config } = c.get('deps');
    const p = c.get('principal');
    const rulings = await issueRulings(db, {
      runId: id,
      caseNos: body.caseNos,
      failing: body.failing,
      limit: body.limit,
      locale: body.locale,
      inspector: p.staffNo ?? p.name,
      actor: actorOf(p),
      publicUrl: config.publicUrl,
      timeZone: config.timeZone,
    });
    return c.json({ rulings }, 201);
  },
);

verificationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/verification/rulings',
    tags: ['verification'],
    summary: 'Rulings issued, of a run and/or a case',
    middleware: [guard('read', 'Ruling')] as const,
    request: {
      query: z.object({
        runId: z.coerce.number().int().min(1).optional(),
        caseNo: z.string().min(1).max(64).optional(),
      }),
    },
    responses: { 200: anyJson('Rulings') },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const rows = await listRulings(c.get('deps').db, q);
    return c.json({ rulings: JSON.parse(JSON.stringify(rows)) as Record<string, unknown>[] }, 200);
  },
);

verificationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/verification/rulings/{number}/pdf',
    tags: ['verification'],
    summary: 'The PDF of a ruling, as issued',
    middleware: [guard('read', 'Ruling')] as const,
    request: {
      params: z.object({
        number: z
          .string()
          .min(1)
          .max(80)
          .openapi({ param: { name: 'number', in: 'path' }, example: '泉建核〔2026〕12号' }),
      }),
    },
    responses: {
      200: {
        description: 'The PDF',
        content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
      },
    },
  }),
  async (c) => {
    const { number } = c.req.valid('param');
    const found = await rulingPdf(c.get('deps').db, number);
    if (!found) throw new AppError('NOT_FOUND', `no ruling ${number}`);
    return c.body(new Uint8Array(found.pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(`${number}.pdf`)}`,
      'x-content-sha256': found.ruling.sha256,
    });
  },
);

verificationRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/verification/referrals',
    tags: ['verification'],
    summary: 'Failures to refer to misconduct, one per case and check (ref is the idempotency key)',
    middleware: [guard('read', 'Verification')] as const,
    request: {
      query: z.object({
        sinceRunId: z.coerce.number().int().min(0).optional(),
        after: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(10_000).optional(),
      }),
    },
    responses: { 200: anyJson('Failures and the cursor of the next page') },
  }),
  async (c) => {
    const q = c.req.valid('query');
    return c.json(await listFailuresForReferral(c.get('deps').db, q), 200);
  },
);
