/** Routes of the platform: login and logout, users, API tokens, the audit log. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { desc, lt } from 'drizzle-orm';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { verifyAuditChain } from './audit.ts';
import {
  createToken,
  createUser,
  listTokens,
  listUsers,
  login,
  logout,
  revokeToken,
  SESSION_HOURS,
} from './auth.ts';
import { type AppEnv, actorOf, guard, SESSION_COOKIE, validationHook } from './http.ts';
import { userRoles } from './roles.ts';
import { auditLog } from './schema.ts';

export const platformRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const json = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

const me = z.object({
  name: z.string(),
  role: z.string(),
  staffNo: z.string().nullable(),
  kind: z.enum(['user', 'token', 'public']),
  csrfToken: z.string().optional(),
});

platformRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/auth/login',
    tags: ['auth'],
    summary: 'Log in with name and password; sets the session cookie',
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: z.object({ name: z.string().min(1), password: z.string().min(1) }) },
        },
      },
    },
    responses: { 200: json(me) },
  }),
  async (c) => {
    const { name, password } = c.req.valid('json');
    const { db, config } = c.get('deps');
    const s = await login(db, name, password);
    setCookie(c, SESSION_COOKIE, s.cookieValue, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: config.publicUrl.startsWith('https:'),
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    });
    return c.json(
      {
        name: s.user.name,
        role: s.user.role,
        staffNo: s.user.staffNo,
        kind: 'user' as const,
        csrfToken: s.csrfToken,
      },
      200,
    );
  },
);

platformRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/auth/logout',
    tags: ['auth'],
    summary: 'End the current session',
    responses: { 204: { description: 'logged out' } },
  }),
  async (c) => {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) await logout(c.get('deps').db, cookie);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  },
);

platformRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/auth/me',
    tags: ['auth'],
    summary: 'Who is asking',
    responses: { 200: json(me) },
  }),
  async (c) => {
    const p = c.get('principal');
    return c.json(
      { name: p.name, role: p.role, staffNo: p.staffNo, kind: p.kind, csrfToken: p.csrfToken },
      200,
    );
  },
);

const userOut = z.object({
  id: z.number(),
  name: z.string(),
  role: z.string(),
  staffNo: z.string().nullable(),
  active: z.boolean(),
});

platformRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/users',
    tags: ['users'],
    middleware: [guard('read', 'User')] as const,
    responses: { 200: json(z.array(userOut)) },
  }),
  async (c) => c.json(await listUsers(c.get('deps').db), 200),
);

platformRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/users',
    tags: ['users'],
    middleware: [guard('create', 'User')] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({
              name: z.string(),
              role: z.enum(userRoles),
              staffNo: z.string().nullish(),
              password: z.string(),
            }),
          },
        },
      },
    },
    responses: { 201: json(userOut, 'created') },
  }),
  async (c) => {
    const u = await createUser(c.get('deps').db, c.req.valid('json'), actorOf(c.get('principal')));
    return c.json({ id: u.id, name: u.name, role: u.role, staffNo: u.staffNo, active: u.active }, 201);
  },
);

const tokenOut = z.object({
  id: z.number(),
  name: z.string(),
  role: z.string(),
  prefix: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

platformRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/tokens',
    tags: ['tokens'],
    middleware: [guard('read', 'Token')] as const,
    responses: { 200: json(z.array(tokenOut)) },
  }),
  async (c) => {
    const rows = await listTokens(c.get('deps').db);
    return c.json(
      rows.map((r) => ({
        ...r,
        createdAt: r.createdAt.toISOString(),
        revokedAt: r.revokedAt?.toISOString() ?? null,
      })),
      200,
    );
  },
);

platformRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/tokens',
    tags: ['tokens'],
    summary: 'Create an API token; the token is in this answer only',
    middleware: [guard('create', 'Token')] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({ name: z.string(), role: z.enum(['system', ...userRoles]) }),
          },
        },
      },
    },
    responses: {
      201: json(
        z.object({
          id: z.number(),
          name: z.string(),
          role: z.string(),
          prefix: z.string(),
          token: z.string(),
        }),
        'created',
      ),
    },
  }),
  async (c) =>
    c.json(await createToken(c.get('deps').db, c.req.valid('json'), actorOf(c.get('principal'))), 201),
);

platformRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/api/tokens/{id}',
    tags: ['tokens'],
    summary: 'Revoke an API token',
    middleware: [guard('delete', 'Token')] as const,
    request: { params: z.object({ id: z.coerce.number().int().positive() }) },
    responses: { 200: json(z.object({ id: z.number(), name: z.string() }), 'revoked') },
  }),
  async (c) =>
    c.json(await revokeToken(c.get('deps').db, c.req.valid('param').id, actorOf(c.get('principal'))), 200),
);

platformRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/audit/verify',
    tags: ['audit'],
    summary: 'Recompute the audit hash chain; names the first entry that does not match',
    middleware: [guard('verify', 'AuditLog')] as const,
    responses: {
      200: json(
        z.object({
          ok: z.boolean(),
          entries: z.number(),
          firstBad: z.object({ id: z.number(), reason: z.string() }).optional(),
        }),
      ),
    },
  }),
  async (c) => c.json(await verifyAuditChain(c.get('deps').db), 200),
);

platformRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/audit',
    tags: ['audit'],
    summary: 'Audit entries, newest first',
    middleware: [guard('read', 'AuditLog')] as const,
    request: {
      query: z.object({
        before: z.coerce.number().int().positive().optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
    },
    responses: {
      200: json(
        z.array(
          z.object({
            id: z.number(),
            at: z.string(),
            actor: z.string(),
            action: z.string(),
            entity: z.string(),
            entityId: z.string(),
            contentHash: z.string(),
            hash: z.string(),
          }),
        ),
      ),
    },
  }),
  async (c) => {
    const { before, limit } = c.req.valid('query');
    const rows = await c
      .get('deps')
      .db.select()
      .from(auditLog)
      .where(before ? lt(auditLog.id, before) : undefined)
      .orderBy(desc(auditLog.id))
      .limit(limit);
    return c.json(
      rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        entityId: r.entityId,
        contentHash: r.contentHash,
        hash: r.hash,
      })),
      200,
    );
  },
);
