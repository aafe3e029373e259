/**
 * The calendar routes through HTTP, on a minimal app (the lead mounts them in `createApp`): a
 * principal from `policies/roles.yaml`, the routes, and app.ts's mapping of errors to problems.
 */
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, test } from 'vitest';
import { getCalendar } from '../../src/calendar/index.ts';
import { calendarRoutes } from '../../src/calendar/routes.ts';
import { policiesDir } from '../../src/paths.ts';
import { AppError, problem } from '../../src/platform/errors.ts';
import type { AppEnv } from '../../src/platform/http.ts';
import { abilityFor, loadRolePolicy, type RoleName } from '../../src/platform/roles.ts';

const roles = loadRolePolicy(join(policiesDir, 'roles.yaml'));

function appAs(role: RoleName) {
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('principal', {
      kind: role === 'public' ? 'public' : 'user',
      name: role,
      role,
      staffNo: null,
      ability: abilityFor(roles, { role }),
    });
    await next();
  });
  app.route('/', calendarRoutes);
  app.onError((err, c) => {
    if (err instanceof AppError) return problem(c, err);
    throw err;
  });
  return app;
}

const clerk = appAs('clerk');

const version = getCalendar().version;

describe('GET /api/calendar/add', () => {
  test('across the Spring Festival', async () => {
    const res = await clerk.request('/api/calendar/add?from=2026-02-12&days=5');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      date: '2026-02-26',
      calendarMissing: false,
      calendarVersion: version,
    });
  });

  test('0 days is the same day; a year without a file is flagged', async () => {
    expect(await (await clerk.request('/api/calendar/add?from=2026-02-17&days=0')).json()).toMatchObject({
      date: '2026-02-17',
    });
    expect(await (await clerk.request('/api/calendar/add?from=2026-12-30&days=2')).json()).toMatchObject({
      date: '2027-01-01',
      calendarMissing: true,
    });
    expect((await clerk.request('/api/calendar/add?from=2026-02-12&days=3650')).status).toBe(200);
  });

  test.each([
    ['from=2026-02-30&days=5', 'query.from', 'not a calendar date'],
    ['from=2026-2-3&days=5', 'query.from', 'must be a date YYYY-MM-DD between 1900 and 2999'],
    ['from=9999-12-30&days=5', 'query.from', 'must be a date YYYY-MM-DD between 1900 and 2999'],
    ['days=5', 'query.from', undefined],
    ['from=2026-02-12&days=-1', 'query.days', 'must be a whole number of working days, 0 or more'],
    ['from=2026-02-12&days=1.5', 'query.days', 'must be a whole number of working days, 0 or more'],
    ['from=2026-02-12&days=', 'query.days', 'must be a whole number of working days, 0 or more'],
    ['from=2026-02-12&days=1e3', 'query.days', 'must be a whole number of working days, 0 or more'],
    ['from=2026-02-12&days=3651', 'query.days', 'must be at most 3650'],
    ['from=2026-02-12', 'query.days', undefined],
  ])('?%s is a 400 naming %s', async (query, path, message) => {
    const res = await clerk.request(`/api/calendar/add?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { code: string; errors: { path: string; message: string }[] };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].path).toBe(path);
    if (message) expect(body.errors[0].message).toBe(message);
  });

  test('every field at fault is listed', async () => {
    const body = (await (await clerk.request('/api/calendar/add?from=x&days=y')).json()) as {
      errors: { path: string }[];
    };
    expect(body.errors.map((e) => e.path).sort()).toEqual(['query.days', 'query.from']);
  });
});

describe('GET /api/calendar/count', () => {
  test('forwards and backwards', async () => {
    expect(await (await clerk.request('/api/calendar/count?from=2026-02-12&to=2026-02-26')).json()).toEqual({
      days: 5,
      calendarMissing: false,
      calendarVersion: version,
    });
    expect(
      await (await clerk.request('/api/calendar/count?from=2026-02-26&to=2026-02-12')).json(),
    ).toMatchObject({ days: -5 });
  });

  test('bad dates name the field', async () => {
    const res = await clerk.request('/api/calendar/count?from=2026-02-12&to=2026-02-29');
    expect(res.status).toBe(400);
    const { errors } = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(errors.map((e) => ({ ...e, path: e.path }))).toEqual([
      { path: 'query.to', message: 'not a calendar date' },
    ]);
  });
});

describe('who may ask', () => {
  test('every role that reads the calendar', async () => {
    for (const role of ['clerk', 'inspector', 'hr', 'leader', 'admin', 'system'] as const) {
      expect(
        (await appAs(role).request('/api/calendar/count?from=2026-02-12&to=2026-02-26')).status,
        role,
      ).toBe(200);
    }
  });

  test('not the public', async () => {
    const res = await appAs('public').request('/api/calendar/add?from=2026-02-12&days=5');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

test('the routes are in the OpenAPI document', () => {
  const doc = calendarRoutes.getOpenAPIDocument({ openapi: '3.0.3', info: { title: 't', version: '1' } });
  expect(Object.keys(doc.paths).sort()).toEqual(['/api/calendar/add', '/api/calendar/count']);
  const params = (doc.paths['/api/calendar/add'] as any).get.parameters.map(
    (p: { name: string; in: string }) => `${p.in}:${p.name}`,
  );
  expect(params).toEqual(['query:from', 'query:days']);
});
