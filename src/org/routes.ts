import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, actorOf, guard, validationHook } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { orgDocumentSchema } from './contract.ts';
import { exportOrg, importOrg } from './service.ts';

const counts = z.object({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  deactivated: z.number(),
});

export const orgRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

orgRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/org',
    tags: ['org'],
    summary: 'Load an org document (upsert by code; what leaves a list becomes inactive)',
    middleware: [guard('import', 'Org')] as const,
    request: { body: { required: true, content: { 'application/json': { schema: orgDocumentSchema } } } },
    responses: {
      200: {
        description: 'What was created, updated, left unchanged and deactivated, per list',
        content: { 'application/json': { schema: z.record(z.string(), counts) } },
      },
    },
  }),
  async (c) => {
    const { db, config } = c.get('deps');
    const result = await importOrg(db, c.req.valid('json'), {
      actor: actorOf(c.get('principal')),
      today: localDate(new Date(), config.timeZone),
    });
    return c.json(result, 200);
  },
);

orgRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/org',
    tags: ['org'],
    summary: 'The active organisation and catalogue as an org document',
    middleware: [guard('export', 'Org')] as const,
    responses: {
      200: {
        description: 'org document, version 1',
        content: { 'application/json': { schema: orgDocumentSchema } },
      },
    },
  }),
  async (c) => c.json(await exportOrg(c.get('deps').db), 200),
);
