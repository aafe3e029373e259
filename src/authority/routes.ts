/**
 * Authority over HTTP: decisions for the approval system (and for clerks about themselves), the
 * scope of a clerk (授权清单), suspensions, and policy versions.
 *
 * @example
 * POST /api/authority/decisions {"staff":"S005","action":"accept","item":"SG-001","case":{"caseNo":"QZJS-2026-000123","route":"normal"}}
 * // 200 {"allowed":true,"via":"own","post":"P-ACCEPT-1","rule":{"file":"acceptance.yaml",...},"reasons":[...],"policyVersion":"…"}
 * GET /api/authority/scope?staff=S005&at=2026-03-05
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';
import { renderPdf } from '../documents/index.ts';
import { getBureau } from '../org/service.ts';
import { AppError } from '../platform/errors.ts';
import { type AppEnv, actorOf, assertCan, guard, validationHook } from '../platform/http.ts';
import { PolicyError } from '../platform/policy-file.ts';
import { authorityActions, channels, routes, seals, stages } from './actions.ts';
import type { AuthorityEngine } from './engine.ts';
import { scopeDocument } from './scope-view.ts';
import { decide, freshAuthorityEngine, getAuthorityEngine, reloadAuthorityPolicies } from './service.ts';
import { listSuspensions } from './suspensions.ts';
import { parseInstant } from './time.ts';
import type { Decision } from './types.ts';
import { getPolicyVersion, listPolicyVersions } from './versions.ts';

export const caseSchema = z
  .strictObject({
    caseNo: z.string().min(1).max(64),
    route: z.enum(routes).optional(),
    channel: z.enum(channels).optional(),
    project: z
      .strictObject({ code: z.string().optional(), name: z.string().optional(), key: z.boolean().optional() })
      .nullable()
      .optional(),
    seal: z.enum(seals).optional().openapi({ description: 'the seal asked about, for the seal action' }),
    stage: z
      .enum(stages)
      .optional()
      .openapi({ description: 'intake (before acceptance) or decision; read from history when absent' }),
    history: z
      .array(
        z.strictObject({
          seq: z.number().int().optional(),
          action: z.string().min(1),
          actor: z.string().min(1),
          at: z.string().optional(),
        }),
      )
      .max(1000)
      .optional()
      .openapi({ description: "the case's earlier events, for separation-of-duties rules" }),
  })
  .openapi('AuthorityCase');

const requestSchema = z
  .strictObject({
    staff: z.string().min(1).max(64).openapi({ example: 'S005' }),
    action: z.string().min(1).max(64).openapi({ example: 'accept' }),
    item: z.string().min(1).max(64).openapi({ example: 'SG-001' }),
    at: z.string().optional().openapi({
      description: 'ISO instant with zone, or a date (start of that day); default now',
      example: '2026-03-05T10:00:00+08:00',
    }),
    case: caseSchema.optional(),
  })
  .openapi('AuthorityDecisionRequest');

const requestKeys = new Set(['staff', 'action', 'item', 'at', 'case']);
/** Of caseSchema's keys, all but history (left to zod). */
const caseKeys = new Set(['caseNo', 'route', 'channel', 'project', 'seal', 'stage']);
const routeSet: ReadonlySet<unknown> = new Set(routes);
const channelSet: ReadonlySet<unknown> = new Set(channels);
const sealSet: ReadonlySet<unknown> = new Set(seals);
const stageSet: ReadonlySet<unknown> = new Set(stages);
/** What `z.string().min(1).max(max)` takes. */
const text = (v: unknown, max: number) => typeof v === 'string' && v.length >= 1 && v.length <= max;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether one decision request plainly fits requestSchema, checked by hand: staff, action, item,
 * at and a case with caseNo, route, channel, seal, stage and no project. Anything else (a
 * project, a history, an unknown key, a wrong value) is left to zod, which may still accept it
 * and words the errors. Only ever narrower than the schema: test/authority/routes-body.test.ts
 * holds the two side by side.
 */
function plainDecisionRequest(v: unknown): boolean {
  if (!isRecord(v)) return false;
  for (const k in v) if (!requestKeys.has(k)) return false;
  if (!text(v.staff, 64) || !text(v.action, 64) || !text(v.item, 64)) return false;
  if (v.at !== undefined && typeof v.at !== 'string') return false;
  const c = v.case;
  if (c === undefined) return true;
  if (!isRecord(c)) return false;
  for (const k in c) if (!caseKeys.has(k)) return false;
  return (
    text(c.caseNo, 64) &&
    (c.route === undefined || routeSet.has(c.route)) &&
    (c.channel === undefined || channelSet.has(c.channel)) &&
    (c.project === undefined || c.project === null) &&
    (c.seal === undefined || sealSet.has(c.seal)) &&
    (c.stage === undefined || stageSet.has(c.stage))
  );
}

/** One request or a batch of 1 to 1000 (the body of POST /api/authority/decisions). */
export const decisionBodySchema = z.union([requestSchema, z.array(requestSchema).min(1).max(1000)]);
export const plainDecisionBody = (v: unknown) =>
  Array.isArray(v)
    ? v.length >= 1 && v.length <= 1000 && v.every(plainDecisionRequest)
    : plainDecisionRequest(v);

// zod's async parse of this union costs more than the decision it asks for (the validator of
// @hono/zod-openapi calls safeParseAsync). A body that plainly fits goes through unchanged; any
// other gets zod's full parse, so what is accepted and every error stay zod's.
const zodParse = decisionBodySchema.safeParseAsync.bind(decisionBodySchema);
decisionBodySchema.safeParseAsync = async (data, params) =>
  plainDecisionBody(data)
    ? { success: true, data: data as z.output<typeof decisionBodySchema> }
    : zodParse(data, params);

const ruleSchema = z.object({ file: z.string(), post: z.string(), grant: z.string() });
const decisionSchema = z
  .object({
    allowed: z.boolean(),
    via: z.enum(['own', 'acting-for']).optional(),
    post: z.string().optional(),
    actingFor: z.string().optional(),
    rule: ruleSchema.optional(),
    reasons: z.array(z.string()),
    wouldAllow: z.array(z.string()).optional(),
    conflict: z
      .object({
        file: z.string(),
        rule: z.string(),
        event: z.object({
          seq: z.number().optional(),
          action: z.string(),
          actor: z.string(),
          at: z.string().optional(),
        }),
      })
      .optional(),
    policyVersion: z.string(),
  })
  .openapi('AuthorityDecision');

const scopeRowSchema = z.object({
  item: z.string(),
  itemName: z.string(),
  business: z.string(),
  action: z.string(),
  via: z.enum(['own', 'acting-for']),
  post: z.string(),
  actingFor: z.string().optional(),
  rule: ruleSchema,
  conditions: z.string().nullable(),
  when: z.object({
    route: z.array(z.string()).optional(),
    channel: z.array(z.string()).optional(),
    projectKey: z.boolean().optional(),
    stage: z.array(z.string()).optional(),
    seal: z.array(z.string()).optional(),
  }),
  from: z.string().nullable(),
  to: z.string().nullable(),
});
const holdingSchema = z.object({
  via: z.enum(['own', 'acting-for']),
  post: z.string(),
  postName: z.string(),
  role: z.enum(['A', 'B']).optional(),
  actingFor: z.string().optional(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  absence: z.object({ from: z.string(), to: z.string(), reason: z.string() }).optional(),
});
const scopeSchema = z
  .object({
    staff: z.string(),
    name: z.string(),
    date: z.string(),
    status: z.enum(['active', 'suspended', 'inactive']),
    reasons: z.array(z.string()),
    holdings: z.array(holdingSchema),
    rows: z.array(scopeRowSchema),
    separation: z.array(
      z.object({
        file: z.string(),
        id: z.string(),
        actions: z.array(z.string()),
        conflictsWith: z.array(z.string()),
        message: z.string(),
      }),
    ),
    policyVersion: z.string(),
  })
  .openapi('AuthorityScope');

const problemSchema = z.object({ code: z.string(), detail: z.string().optional() });
const problems = {
  400: { description: 'bad input', content: { 'application/problem+json': { schema: problemSchema } } },
  401: { description: 'not logged in', content: { 'application/problem+json': { schema: problemSchema } } },
  403: { description: 'not allowed', content: { 'application/problem+json': { schema: problemSchema } } },
} as const;

/** JSON of an allowing decision, which is frozen and shared by the requests it answers (engine.ts). */
const encoded = new WeakMap<Decision, Buffer>();

/** The decision as JSON (UTF-8): encoded once for a shared decision, as its reasons are long. */
function decisionJson(d: Decision): Buffer {
  let bytes = encoded.get(d);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(d));
    if (Object.isFrozen(d)) encoded.set(d, bytes);
  }
  return bytes;
}

const [open, comma, close] = ['[', ',', ']'].map((s) => Buffer.from(s));

function decisionsJson(list: Decision[]): Buffer {
  const parts: Uint8Array[] = [open];
  list.forEach((d, i) => {
    if (i > 0) parts.push(comma);
    parts.push(decisionJson(d));
  });
  parts.push(close);
  return Buffer.concat(parts);
}

/** JSON encoded beforehand, answered (and typed) as `c.json(value, 200)` would answer value. */
const encodedJson = <T>(c: Context, json: Uint8Array) =>
  c.body(json as Uint8Array<ArrayBuffer>, 200, {
    'content-type': 'application/json',
  }) as unknown as Response & TypedResponse<JSONParsed<T>, 200, 'json'>;

/** Whose scope is asked for (default: one's own), once the principal may read it. */
function scopeStaff(c: Context<AppEnv>, asked: string | undefined): string {
  const staff = asked ?? c.get('principal').staffNo;
  if (!staff)
    throw AppError.validation(
      [{ path: 'query.staff', message: 'name the staff member' }],
      'the request has problems',
    );
  assertCan(c, 'read', 'Authority', { staff });
  return staff;
}

/** The cached engine; a policy that does not load is an error of the server, named in full. */
async function engineOf(c: Context<AppEnv>): Promise<AuthorityEngine> {
  try {
    return await getAuthorityEngine(c.get('deps').db);
  } catch (e) {
    if (e instanceof PolicyError)
      throw new AppError('INTERNAL', `the authority policies do not load: ${e.message}`);
    throw e;
  }
}

function instantOf(value: string | undefined, engine: AuthorityEngine, path: string): Date {
  if (value === undefined) return new Date();
  const at = parseInstant(value, engine.timeZone);
  if (!at)
    throw AppError.validation([
      { path, message: 'must be an ISO instant with a zone, or a date YYYY-MM-DD' },
    ]);
  return at;
}

/**
 * The body is one request or a list: when it fails, zod reports "matches neither". Report the
 * problems of the shape that was sent instead (the branch whose type matched), field by field.
 */
const oneOrBatchHook = (result: { success: boolean; error?: any; target?: string }, c: Context): any => {
  if (result.success) return;
  const issues = (result.error.issues as any[]).flatMap((i) => {
    if (i.code !== 'invalid_union' || i.path.length !== 0 || !Array.isArray(i.errors)) return [i];
    const branch = (i.errors as any[][]).find(
      (b) => !b.some((x) => x.path.length === 0 && x.code === 'invalid_type'),
    );
    return branch ?? [i];
  });
  return validationHook({ ...result, error: { issues } }, c);
};

export const authorityRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

authorityRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/authority/decisions',
    tags: ['authority'],
    summary:
      'May this staff member do this action on this item (now, or at a past instant)? One request or a batch',
    description:
      'Each decision is recorded with the policy version that gave it. An unknown staff member, item or action is a 422 ' +
      '(never a silent deny). A clerk may ask about themselves only.',
    middleware: [guard('create', 'AuthorityDecision')] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: decisionBodySchema },
        },
      },
    },
    responses: {
      200: {
        description: 'The decision (or one per request, in order, for a batch)',
        content: { 'application/json': { schema: z.union([decisionSchema, z.array(decisionSchema)]) } },
      },
      ...problems,
      422: {
        description: 'unknown staff, item or action',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const list = Array.isArray(body) ? body : [body];
    for (const r of list) assertCan(c, 'create', 'AuthorityDecision', { staff: r.staff });
    const engine = freshAuthorityEngine(c.get('deps').db) ?? (await engineOf(c));
    const bad: { path: string; message: string }[] = [];
    const reqs = list.map((r, i) => {
      const path = Array.isArray(body) ? `[${i}].at` : 'at';
      let at: Date;
      try {
        at = instantOf(r.at, engine, path);
      } catch (e) {
        bad.push(...((e as AppError).errors ?? []));
        at = new Date(0);
      }
      return { staff: r.staff, action: r.action, item: r.item, at, case: r.case };
    });
    if (bad.length) throw AppError.validation(bad, 'the request has problems');
    const db = c.get('deps').db;
    const askedBy = actorOf(c.get('principal'));
    if (!Array.isArray(body))
      return encodedJson<Decision>(c, decisionJson(await decide(db, reqs[0], { askedBy })));
    return encodedJson<Decision[]>(c, decisionsJson(await decide(db, reqs, { askedBy })));
  },
  oneOrBatchHook,
);

authorityRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/authority/scope',
    tags: ['authority'],
    summary:
      'Everything a staff member may do (授权清单): item x action, the way it is held, the rule, the dates',
    description: 'A clerk sees their own scope (staff defaults to theirs).',
    middleware: [guard('read', 'Authority')] as const,
    request: {
      query: z.object({
        staff: z
          .string()
          .min(1)
          .max(64)
          .optional()
          .openapi({ description: 'staff number; default: your own' }),
        at: z
          .string()
          .optional()
          .openapi({ description: 'a date or ISO instant; default now', example: '2026-03-05' }),
      }),
    },
    responses: {
      200: { description: 'the scope', content: { 'application/json': { schema: scopeSchema } } },
      ...problems,
      422: {
        description: 'unknown staff',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const staff = scopeStaff(c, q.staff);
    const engine = await engineOf(c);
    return c.json(engine.scope(staff, instantOf(q.at, engine, 'query.at')), 200);
  },
);

authorityRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/authority/scope.pdf',
    tags: ['authority'],
    summary: 'The scope as a printable document (工作人员授权清单), with the same filters as the page',
    middleware: [guard('read', 'Authority')] as const,
    request: {
      query: z.object({
        staff: z
          .string()
          .min(1)
          .max(64)
          .optional()
          .openapi({ description: 'staff number; default: your own' }),
        at: z.string().optional().openapi({ description: 'a date or ISO instant; default now' }),
        q: z.string().max(100).optional().openapi({ description: 'part of an item code or name' }),
        action: z.enum(authorityActions).optional(),
        via: z.enum(['own', 'acting-for']).optional(),
        locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
      }),
    },
    responses: {
      200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } },
      ...problems,
      422: {
        description: 'unknown staff',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const staff = scopeStaff(c, q.staff);
    const engine = await engineOf(c);
    const scope = engine.scope(staff, instantOf(q.at, engine, 'query.at'));
    const organ = (await getBureau(c.get('deps').db))?.name ?? '';
    const doc = scopeDocument(scope, {
      organ,
      locale: q.locale,
      filters: { q: q.q, action: q.action, via: q.via },
      postName: (code) => engine.postName(code),
    });
    const { pdf } = await renderPdf(doc);
    return c.body(new Uint8Array(pdf), 200, {
      'content-type': 'application/pdf',
      'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(`authority-${scope.staff}-${scope.date}.pdf`)}`,
    });
  },
);

/** Listing everyone's records needs an unconditional grant: no staff number matches this. */
const EVERYONE = '\u0000everyone';

authorityRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/authority/suspensions',
    tags: ['authority'],
    summary: 'Suspensions of authority (a clerk: their own)',
    middleware: [guard('read', 'Authority')] as const,
    request: {
      query: z.object({
        staff: z.string().min(1).max(64).optional(),
        open: z.enum(['true', 'false']).optional().openapi({ description: 'true: only those not lifted' }),
      }),
    },
    responses: {
      200: {
        description: 'suspensions, oldest first',
        content: {
          'application/json': {
            schema: z.array(
              z.object({
                id: z.number(),
                staff: z.string(),
                from: z.string(),
                reason: z.string(),
                ref: z.string().nullable(),
                createdBy: z.string(),
                liftedAt: z.string().nullable(),
                liftedBy: z.string().nullable(),
              }),
            ),
          },
        },
      },
      ...problems,
    },
  }),
  async (c) => {
    const q = c.req.valid('query');
    assertCan(c, 'read', 'Authority', { staff: q.staff ?? EVERYONE });
    const rows = await listSuspensions(c.get('deps').db, { staff: q.staff, open: q.open === 'true' });
    return c.json(
      rows.map((s) => ({ ...s, from: s.from.toISOString(), liftedAt: s.liftedAt?.toISOString() ?? null })),
      200,
    );
  },
);

const versionSchema = z.object({
  hash: z.string(),
  firstSeenAt: z.string(),
  files: z.array(z.string()),
  activations: z.array(z.object({ at: z.string(), actor: z.string() })),
  current: z.boolean(),
});

authorityRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/authority/policy',
    tags: ['authority'],
    summary: 'The authority policy versions, newest first, with when each was in force',
    middleware: [guard('read', 'Authority')] as const,
    responses: {
      200: { description: 'versions', content: { 'application/json': { schema: z.array(versionSchema) } } },
      ...problems,
    },
  }),
  async (c) => {
    await engineOf(c); // brings the shipped files into force on first use
    const versions = await listPolicyVersions(c.get('deps').db);
    return c.json(
      versions.map((v) => ({
        ...v,
        firstSeenAt: v.firstSeenAt.toISOString(),
        activations: v.activations.map((a) => ({ at: a.at.toISOString(), actor: a.actor })),
      })),
      200,
    );
  },
);

authorityRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/authority/policy/{hash}',
    tags: ['authority'],
    summary: 'The files of one policy version, as they were',
    middleware: [guard('read', 'Authority')] as const,
    request: { params: z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex') }) },
    responses: {
      200: {
        description: 'file name to text',
        content: {
          'application/json': {
            schema: z.object({
              hash: z.string(),
              firstSeenAt: z.string(),
              files: z.record(z.string(), z.string()),
            }),
          },
        },
      },
      ...problems,
      404: {
        description: 'no such version',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    },
  }),
  async (c) => {
    const v = await getPolicyVersion(c.get('deps').db, c.req.valid('param').hash);
    if (!v) throw new AppError('NOT_FOUND', `no policy version ${c.req.valid('param').hash}`);
    return c.json({ hash: v.hash, firstSeenAt: v.firstSeenAt.toISOString(), files: v.files }, 200);
  },
);

authorityRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/authority/policy/reload',
    tags: ['authority'],
    summary: 'Read policies/authority again and bring it into force if it changed',
    middleware: [guard('manage', 'Policy')] as const,
    responses: {
      200: {
        description: 'the version in force and whether it changed',
        content: { 'application/json': { schema: z.object({ hash: z.string(), changed: z.boolean() }) } },
      },
      ...problems,
      422: {
        description: 'a policy file is bad; the version in force stays',
        content: { 'application/problem+json': { schema: problemSchema } },
      },
    },
  }),
  async (c) => {
    try {
      const result = await reloadAuthorityPolicies(c.get('deps').db, { actor: actorOf(c.get('principal')) });
      return c.json(result, 200);
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      throw new AppError(
        'UNPROCESSABLE',
        `a policy file is bad; the version in force stays: ${e.message}`,
        e.problems.map((p) => ({
          path: `${e.file}${p.line ? `:${p.line}` : ''} ${p.path}`,
          message: p.message,
        })),
      );
    }
  },
);
