/**
 * The case ledger over HTTP: ingestion of `case-events` (NDJSON or a JSON array, streamed; an
 * Idempotency-Key is honoured), the ledger with filters and keyset paging, one case with its
 * timeline, and red-card alerts. A clerk sees only the cases they acted on; applicant data is
 * masked for roles that may not read `ApplicantData`.
 *
 * @example
 * POST /api/cases/events  (Authorization: Bearer nk_…, Content-Type: application/x-ndjson)
 * // 200 {"importId":7,"lines":12,"cases":{"new":2,"unchanged":0},"events":{"new":10,"unchanged":0},...}
 * GET /api/cases?light=red&business=construction-permit&limit=50
 * GET /api/cases/QZJS-2026-000123
 */
import { subject as caslSubject } from '@casl/ability';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCalendar } from '../calendar/index.ts';
import { AppError } from '../platform/errors.ts';
import { type AppEnv, actorOf, assertCan, guard, type Principal, validationHook } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { CASE_STATES, LIGHTS } from './clock.ts';
import { CHANNELS, ROUTES } from './contract.ts';
import { caseDetail, listRowOut } from './detail.ts';
import './history.ts';
import { ingestCaseStream } from './ingest.ts';
import { type CaseFilters, listAlerts, listCases } from './query.ts';

export const caseRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

/** Whether the principal may read every case, or only those it acted on (a clerk). */
export function readsAllCases(p: Principal): boolean {
  return p.ability.can('read', caslSubject('Case', { staff: [] }) as any);
}

export const mayReadApplicant = (p: Principal) => p.ability.can('read', 'ApplicantData');

// ---- ingestion ----

const countSchema = z.object({ new: z.number(), unchanged: z.number() });
const ingestResultSchema = z
  .object({
    importId: z.number().nullable(),
    lines: z.number(),
    cases: countSchema,
    events: countSchema,
    anomalous: z.number().openapi({ description: 'new events flagged with anomalies (stored all the same)' }),
    denied: z
      .number()
      .openapi({ description: 'new events the authority in force at their time did not allow' }),
    alerts: z.object({ raised: z.number(), resolved: z.number(), deemed: z.number() }),
    bodySha256: z.string(),
    replayed: z.boolean().optional(),
  })
  .openapi('CaseIngestResult');

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  code: z.string(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

caseRoutes.openAPIRegistry.registerPath({
  method: 'post',
  path: '/api/cases/events',
  tags: ['cases'],
  summary: 'Ingest case-events (NDJSON or a JSON array); atomic and idempotent',
  description:
    'Streams the body. Any bad line: nothing is stored and the answer lists every bad line (line number and reason; the first 1,000 with the total). Lines already stored with the same content are skipped. An `Idempotency-Key` returns the first answer again for the same body.',
  request: {
    headers: z.object({ 'idempotency-key': z.string().max(200).optional() }),
    body: {
      required: true,
      content: {
        'application/x-ndjson': {
          schema: z.string().openapi({ description: 'one case-events record a line' }),
        },
        'application/json': { schema: z.array(z.record(z.string(), z.unknown())) },
      },
    },
  },
  responses: {
    200: { description: 'What was stored', content: { 'application/json': { schema: ingestResultSchema } } },
    400: {
      description: 'Bad lines; nothing stored',
      content: { 'application/problem+json': { schema: problemSchema } },
    },
    409: {
      description: 'Idempotency-Key reused with a different body',
      content: { 'application/problem+json': { schema: problemSchema } },
    },
  },
});

caseRoutes.post('/api/cases/events', guard('create', 'CaseEvent'), async (c) => {
  const { database, config } = c.get('deps');
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('multipart/') || type.startsWith('application/x-www-form-urlencoded'))
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send NDJSON (application/x-ndjson) or a JSON array');
  const key = c.req.header('idempotency-key')?.trim() || undefined;
  if (key && key.length > 200)
    throw AppError.validation([{ path: 'header.idempotency-key', message: 'at most 200 characters' }]);
  const body = c.req.raw.body;
  const result = await ingestCaseStream(database, body ?? [], {
    actor: actorOf(c.get('principal')),
    source: 'http',
    timeZone: config.timeZone,
    idempotencyKey: key,
  });
  if (result.replayed) c.header('idempotent-replayed', 'true');
  return c.json(result, 200);
});

// ---- the ledger ----

/** A list parameter: repeated (`state=a&state=b`) or comma-separated (`state=a,b`). */
const list = <T extends [string, ...string[]]>(values: T) =>
  z.preprocess(
    (v) =>
      v === undefined
        ? undefined
        : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter(Boolean),
    z.array(z.enum(values)).optional(),
  );
const codes = z.preprocess(
  (v) =>
    v === undefined
      ? undefined
      : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter(Boolean),
  z.array(z.string().min(1).max(64)).max(200).optional(),
);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const listQuery = z.object({
  state: list([...CASE_STATES]).openapi({ description: 'one or more, comma-separated' }),
  light: list([...LIGHTS]).openapi({ description: 'green, yellow, red or none (completed), as of asOf' }),
  item: codes,
  business: codes,
  clerk: z.string().min(1).max(64).optional().openapi({ description: 'cases this staff member acted on' }),
  responsible: z.string().min(1).max(64).optional(),
  route: list([...ROUTES]),
  channel: list([...CHANNELS]),
  receivedFrom: day.optional(),
  receivedTo: day.optional(),
  completedFrom: day.optional(),
  completedTo: day.optional(),
  open: bool.optional(),
  anomalous: bool.optional(),
  sort: z
    .enum(['received', 'due'])
    .optional()
    .openapi({ description: 'received (newest first) or due (most urgent first)' }),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  cursor: z.string().max(500).optional(),
  asOf: day.optional().openapi({ description: 'the day lights and days left are judged on (default today)' }),
});

const applicantSchema = z.object({
  kind: z.string(),
  name: z.string(),
  id: z.string(),
  masked: z.boolean().optional(),
});
const listRowSchema = z
  .object({
    caseNo: z.string(),
    itemCode: z.string(),
    business: z.string(),
    route: z.string(),
    channel: z.string(),
    state: z.string(),
    light: z.enum(LIGHTS),
    receivedAt: z.string(),
    acceptedOn: z.string().nullable(),
    acceptance: z.string(),
    committedDue: z.string().nullable(),
    statutoryDue: z.string().nullable(),
    clockStoppedSince: z.string().nullable(),
    workingDaysUsed: z.number().nullable(),
    daysLeft: z.number().nullable(),
    completedAt: z.string().nullable(),
    result: z.string().nullable(),
    overdue: z.boolean().nullable(),
    calendarMissing: z.boolean(),
    responsible: z.string().nullable(),
    anomalies: z.array(z.string()),
    deniedCount: z.number(),
    applicant: applicantSchema,
  })
  .openapi('CaseListRow');

function today(c: Context<AppEnv>, asOf?: string) {
  return asOf ?? localDate(new Date(), c.get('deps').config.timeZone);
}

caseRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/cases',
    tags: ['cases'],
    summary: 'The case ledger, filtered and keyset-paged (a clerk: the cases they acted on)',
    middleware: [guard('read', 'Case')] as const,
    request: { query: listQuery },
    responses: {
      200: {
        description: 'One page; pass nextCursor back as cursor for the next',
        content: {
          'application/json': {
            schema: z.object({
              asOf: z.string(),
              rows: z.array(listRowSchema),
              nextCursor: z.string().nullable(),
            }),
          },
        },
      },
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const { db, config } = c.get('deps');
    const p = c.get('principal');
    const filters: CaseFilters = { ...q };
    if (!readsAllCases(p)) filters.clerk = p.staffNo ?? ''; // no linked staff: no cases
    const day = today(c, q.asOf);
    const page = await listCases(db, filters, {
      today: day,
      timeZone: config.timeZone,
      sort: q.sort,
      limit: q.limit,
      cursor: q.cursor,
    });
    const calendar = getCalendar();
    const may = mayReadApplicant(p);
    return c.json(
      {
        asOf: day,
        rows: page.rows.map((r) => listRowOut(r, day, calendar, may)),
        nextCursor: page.nextCursor,
      },
      200,
    );
  },
);

caseRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/case-alerts',
    tags: ['cases'],
    summary: 'Red cards (红牌): raised and resolved times (a clerk: their own)',
    middleware: [guard('read', 'Case')] as const,
    request: {
      query: z.object({
        staff: z.string().min(1).max(64).optional(),
        open: bool.optional(),
        raisedFrom: day.optional(),
        raisedTo: day.optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
      }),
    },
    responses: {
      200: {
        description: 'Alerts, newest first',
        content: {
          'application/json': {
            schema: z.array(
              z.object({
                id: z.number(),
                caseNo: z.string(),
                kind: z.string(),
                staffNo: z.string().nullable(),
                committedDue: z.string().nullable(),
                raisedOn: z.string(),
                raisedAt: z.string(),
                resolvedAt: z.string().nullable(),
                resolution: z.string().nullable(),
              }),
            ),
          },
        },
      },
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const p = c.get('principal');
    const staff = readsAllCases(p) ? q.staff : (p.staffNo ?? '');
    const rows = await listAlerts(c.get('deps').db, { ...q, staff }, q.limit);
    return c.json(
      rows.map((a) => ({
        id: a.id,
        caseNo: a.caseNo,
        kind: a.kind,
        staffNo: a.staffNo,
        committedDue: a.committedDue,
        raisedOn: a.raisedOn,
        raisedAt: a.raisedAt.toISOString(),
        resolvedAt: a.resolvedAt?.toISOString() ?? null,
        resolution: a.resolution,
      })),
      200,
    );
  },
);

caseRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/cases/{no}',
    tags: ['cases'],
    summary:
      'One case: timeline with each authority decision, deadlines (as of now or asOf), anomalies, alerts',
    middleware: [guard('read', 'Case')] as const,
    request: {
      params: z.object({ no: z.string().min(1).max(64) }),
      query: z.object({ asOf: day.optional() }),
    },
    responses: {
      200: {
        description: 'The case',
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi('CaseDetail') } },
      },
      404: {
        description: 'No such case',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    },
  }),
  async (c) => {
    const { no } = c.req.valid('param');
    const { asOf } = c.req.valid('query');
    const { db, config } = c.get('deps');
    const p = c.get('principal');
    const detail = await caseDetail(db, no, {
      asOf: asOf ? instantOn(asOf, config.timeZone) : new Date(),
      timeZone: config.timeZone,
      mayReadApplicant: mayReadApplicant(p),
      locale: p.locale,
    });
    // A clerk asking about a case they did not act on learns nothing, not even that it exists.
    if (!detail || (!readsAllCases(p) && !detail.clock?.actors.includes(p.staffNo ?? '')))
      throw new AppError('NOT_FOUND', `no case ${no}`);
    assertCan(c, 'read', 'Case', { staff: detail.clock?.actors ?? [] });
    return c.json(detail as unknown as Record<string, unknown>, 200);
  },
);

/** An instant inside a local date (noon UTC, moved half a day where the zone is far off). */
export function instantOn(date: string, timeZone: string): Date {
  const noon = new Date(`${date}T12:00:00Z`);
  const local = localDate(noon, timeZone);
  if (local === date) return noon;
  return new Date(noon.getTime() + (local > date ? -12 : 12) * 3600_000);
}
