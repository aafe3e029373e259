import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { jsonHeaders, loginAs, testApp } from '../helpers.ts';

describe('HTTP basics', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('serves health, the OpenAPI document and the docs page', async () => {
    expect(await (await t.app.request('/healthz')).json()).toMatchObject({ status: 'ok' });
    const doc = (await (await t.app.request('/openapi.json')).json()) as any;
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/org', '/api/auth/login', '/api/audit/verify']),
    );
    const docs = await t.app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('POST /api/org');
  });

  it('sends secure headers with an explicit CSP', async () => {
    const res = await t.app.request('/healthz');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('answers every error with one problem shape and no stack trace', async () => {
    const notFound = await t.app.request('/api/nothing-here');
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type')).toContain('application/problem+json');
    expect(await notFound.json()).toMatchObject({ code: 'NOT_FOUND', status: 404 });

    const admin = await loginAs(t, 'admin');
    const badJson = await t.app.request('/api/org', {
      method: 'POST',
      headers: { ...admin, ...jsonHeaders },
      body: '{"version":',
    });
    expect(badJson.status).toBe(400);
    const body = await badJson.text();
    expect(JSON.parse(body).code).toBe('VALIDATION_FAILED');
    expect(body).not.toMatch(/at .*\.ts:\d+/);

    const badLogin = await t.app.request('/api/auth/login', {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ name: 3 }),
    });
    const problem = (await badLogin.json()) as any;
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((e: any) => e.path).sort()).toEqual(['name', 'password']);
  });

  it('limits body size', async () => {
    const admin = await loginAs(t, 'admin');
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), password: 'y' });
    const res = await t.app.request('/api/users', {
      method: 'POST',
      headers: { ...admin, ...jsonHeaders },
      body: huge,
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('HTTP through the real server (@hono/node-server)', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let url: string;
  let close: () => void;
  beforeAll(async () => {
    t = await testApp();
    await new Promise<void>((resolve) => {
      const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        url = `http://127.0.0.1:${info.port}`;
        close = () => server.close();
        resolve();
      });
    });
  });
  afterAll(async () => {
    close();
    await t.close();
  });

  const secure = (h: Headers) =>
    Object.fromEntries(
      [...h].filter(
        ([k]) => !['content-type', 'content-length', 'date', 'connection', 'keep-alive'].includes(k),
      ),
    );

  it('sends the same secure headers as hono secureHeaders, on answers, errors and pages', async () => {
    const expected = secure((await t.app.request('/healthz')).headers);
    expect(expected['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(Object.keys(expected).length).toBeGreaterThan(8);
    for (const [path, init] of [
      ['/healthz', {}],
      ['/api/nothing-here', {}],
      ['/login', {}],
      ['/api/org', { method: 'POST', headers: jsonHeaders, body: '{}' }],
      ['/api/org', { method: 'POST', headers: jsonHeaders, body: '{' }],
    ] as [string, RequestInit][]) {
      const res = await fetch(url + path, init);
      await res.arrayBuffer();
      expect(secure(res.headers), `${init.method ?? 'GET'} ${path}`).toEqual(expected);
    }
  });

  it("keeps a handler's own value of a secure header, on the server as in app.request", async () => {
    const app = createApp(t.deps);
    app.get('/test-own-referrer-policy', (c) => {
      c.header('Referrer-Policy', 'no-referrer');
      return c.text('ok');
    });
    const inProcess = await app.request('/test-own-referrer-policy');
    let stop!: () => void;
    const base = await new Promise<string>((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
        stop = () => server.close();
        resolve(`http://127.0.0.1:${info.port}`);
      });
    });
    try {
      const served = await fetch(`${base}/test-own-referrer-policy`);
      await served.arrayBuffer();
      for (const res of [inProcess, served]) {
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      }
    } finally {
      stop();
    }
  });

  it('refuses a body over the limit by its declared length, and a chunked one as it arrives', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(1024 * 1024) });
    const declared = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: jsonHeaders,
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { code: string }).code).toBe('PAYLOAD_TOO_LARGE');
    const chunked = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: jsonHeaders,
      body: new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(big));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const small = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ name: 'nobody', password: 'wrong password' }),
    });
    expect(small.status).toBe(401);
  });
});
