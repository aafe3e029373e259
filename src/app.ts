/**
 * The HTTP application: every module's routes behind one set of middleware (secure headers,
 * body limits, who is asking, CSRF), one error shape, and the OpenAPI document.
 *
 * @example
 * const app = createApp(deps);
 * const res = await app.request('/healthz'); // 200 {"status":"ok"}
 */

import type { ServerResponse } from 'node:http';
import { OpenAPIHono } from '@hono/zod-openapi';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { authorityPages } from './authority/pages.tsx';
import { authorityRoutes } from './authority/routes.ts';
import { calendarRoutes } from './calendar/routes.ts';
import { casePages } from './cases/pages.tsx';
import { caseRoutes } from './cases/routes.ts';
import { registryRoutes } from './documents/registry-routes.ts';
import { misconductPages } from './misconduct/pages/index.ts';
import { misconductRoutes } from './misconduct/routes.ts';
import { orgRoutes } from './org/routes.ts';
import { docsPage } from './platform/docs-page.ts';
import { AppError, problem } from './platform/errors.ts';
import { type AppEnv, authenticate, csrfProtection, type Deps, validationHook } from './platform/http.ts';
import { platformRoutes } from './platform/routes.ts';
import { reportPages } from './reports/pages.tsx';
import { reportRoutes } from './reports/routes.ts';
import { rotationPages } from './rotation/pages.tsx';
import { rotationRoutes } from './rotation/routes.ts';
import { verificationPages } from './verification/pages.tsx';
import { verificationRoutes } from './verification/routes.ts';
import { webRoutes } from './web/routes.ts';

/** Routes with their own, larger limits (bulk ingestion) are listed here; the rest get 1 MiB. */
const largeBodies: Record<string, number> = {
  '/api/org': 32 * 1024 * 1024,
  '/api/authority/decisions': 8 * 1024 * 1024,
  '/api/cases/events': 256 * 1024 * 1024,
  '/admin/import': 32 * 1024 * 1024,
  '/api/misconduct/evidence': 11 * 1024 * 1024,
  '/misconduct/evidence': 11 * 1024 * 1024,
};

const secureHeaderOptions: Parameters<typeof secureHeaders>[0] = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    objectSrc: ["'none'"],
  },
  referrerPolicy: 'same-origin',
};

/**
 * hono's secureHeaders, made cheap where it matters. It sets its headers on the Response after
 * the handler, and under @hono/node-server that turns the response's plain header object into a
 * web Headers object (a dozen validated sets, then copied back out): measured at ~45 µs of CPU a
 * request, more than the authority decision route behind it. So the same headers (read once from
 * hono's middleware, so they cannot drift) are set on the Node response before the handler
 * instead. A handler that sets one of them itself keeps its own value (only the misconduct
 * evidence download does, with the same `nosniff`); elsewhere (`app.request` in tests, other
 * runtimes) they are added after the handler with the same rule, so tests see what the server
 * sends.
 */
function fastSecureHeaders(): MiddlewareHandler<AppEnv> {
  let headers: Promise<[string, string][]> | undefined;
  const read = async () => {
    const probe = new Hono();
    probe.use('*', secureHeaders(secureHeaderOptions));
    probe.get('/', (c) => c.body(null, 204));
    const res = await probe.request('/');
    return [...res.headers].filter(([k]) => k !== 'content-type');
  };
  let ready: [string, string][] | undefined;
  return async (c, next) => {
    // A failed probe is not kept: the next request tries again.
    headers ??= read().then(
      (list) => (ready = list),
      (e) => {
        headers = undefined;
        throw e;
      },
    );
    const list = ready ?? (await headers);
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (typeof outgoing?.setHeader === 'function') {
      for (const [k, v] of list) outgoing.setHeader(k, v);
      return next();
    }
    await next();
    for (const [k, v] of list) if (!c.res.headers.has(k)) c.res.headers.set(k, v);
  };
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Body limits by path. A request that declares its length (and is not chunked) is judged by its
 * Content-Length header alone: hono's bodyLimit looks at `c.req.raw.body` first, which makes
 * @hono/node-server build a web stream over the socket for every request (the slow way to read
 * a body, and most of the cost of a small JSON request). Chunked bodies are still counted as they
 * arrive, by hono's bodyLimit. Node's HTTP parser never reads more than Content-Length bytes as
 * the body.
 */
function limitBodies(): MiddlewareHandler<AppEnv> {
  const limiters = new Map<number, MiddlewareHandler>();
  const limiter = (limit: number) => {
    let m = limiters.get(limit);
    if (!m) {
      m = bodyLimit({
        maxSize: limit,
        onError: (c) => problem(c, new AppError('PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`)),
      });
      limiters.set(limit, m);
    }
    return m;
  };
  return async (c, next) => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD') return next();
    const limit = largeBodies[c.req.path] ?? DEFAULT_BODY_LIMIT;
    const length = c.req.header('content-length');
    if (length !== undefined && /^\d+$/.test(length) && c.req.header('transfer-encoding') === undefined) {
      if (Number(length) > limit)
        return problem(c, new AppError('PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`));
      return next();
    }
    return limiter(limit)(c, next);
  };
}

export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use('*', fastSecureHeaders());
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', limitBodies());
  app.use('*', authenticate());
  app.use('*', csrfProtection());

  app.get('/healthz', (c) => c.json({ status: 'ok', database: deps.database.kind }));
  app.route('/', platformRoutes);
  app.route('/', orgRoutes);
  app.route('/', authorityRoutes);
  app.route('/', authorityPages);
  app.route('/', calendarRoutes);
  app.route('/', caseRoutes);
  app.route('/', casePages);
  app.route('/', misconductRoutes);
  app.route('/', registryRoutes);
  app.route('/', verificationRoutes);
  app.route('/', verificationPages);
  app.route('/', misconductPages);
  app.route('/', rotationRoutes);
  app.route('/', rotationPages);
  app.route('/', reportRoutes);
  app.route('/', reportPages);
  app.route('/', webRoutes);

  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: {
      title: 'neikong API',
      version: '1',
      description: 'neikong (内控): authority, cases, verification',
    },
  });
  app.get('/docs', (c) =>
    c.html(
      docsPage(app.getOpenAPIDocument({ openapi: '3.0.3', info: { title: 'neikong API', version: '1' } })),
    ),
  );

  app.notFound((c) => problem(c, new AppError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => {
    if (err instanceof AppError) return problem(c, err);
    if (err instanceof HTTPException) {
      if (err.status === 400)
        return problem(c, new AppError('VALIDATION_FAILED', 'the request body is not valid JSON'));
      if (err.status === 413) return problem(c, new AppError('PAYLOAD_TOO_LARGE', err.message));
      if (err.status === 415)
        return problem(c, new AppError('UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json'));
    }
    if (err instanceof SyntaxError)
      return problem(c, new AppError('VALIDATION_FAILED', 'the request body is not valid JSON'));
    console.error(`[${new Date().toISOString()}] ${c.req.method} ${c.req.path}:`, err);
    return problem(c, new AppError('INTERNAL', 'internal error; it has been logged'));
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
