/**
 * The HTTP application: every module's routes behind one set of middleware (secure headers,
 * body limits, who is asking, CSRF), one error shape, and the OpenAPI document.
 *
 * @example
 * const app = createApp(deps);
 * const res = await app.request('/healthz'); // 200 {"status":"ok"}
 */
import { OpenAPIHono } from '@hono/zod-openapi';
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

export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use(
    '*',
    secureHeaders({
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
    }),
  );
  app.use('*', async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use('*', async (c, next) => {
    const limit = largeBodies[c.req.path] ?? 1024 * 1024;
    return bodyLimit({
      maxSize: limit,
      onError: (c) => problem(c, new AppError('PAYLOAD_TOO_LARGE', `request body over ${limit} bytes`)),
    })(c, next);
  });
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
