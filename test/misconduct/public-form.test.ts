/**
 * The public complaint form's API: bad input names every field at fault, the body is small, the
 * client is rate-limited, anonymity keeps nothing that identifies the author; and tracking codes.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureClientKey, TokenBuckets } from '../../src/misconduct/rate-limit.ts';
import { publicLimiters } from '../../src/misconduct/routes.ts';
import { misconductComplainants } from '../../src/misconduct/schema.ts';
import { newTrackingCode, normalizeTrackingCode, trackingHash } from '../../src/misconduct/tracking.ts';
import { expectStatus, type MisconductTestApp, misconductApp, post, useFreshClients } from './support.ts';

let t: MisconductTestApp;
beforeAll(async () => {
  t = await misconductApp();
});
afterAll(() => {
  configureClientKey({ keyOf: null });
  return t?.close();
});

const good = { kind: 'report', facts: '窗口工作人员要求申请人另付加急费。', anonymous: true };

describe('bad input on the public form', () => {
  it('names every field at fault at once', async () => {
    const r = await post(
      t,
      '/api/complaints',
      {},
      {
        kind: 'praise',
        facts: 'short',
        caseNo: 'no/slashes',
        occurredOn: '2026-13-45x',
        anonymous: 'yes',
        phone: 'call me',
        email: 'not-an-email',
        extra: 1,
      },
    );
    expectStatus(r, 400);
    expect(r.json.code).toBe('VALIDATION_FAILED');
    const paths = r.json.errors.map((e: any) => e.path).sort();
    expect(paths).toEqual(
      ['$', 'anonymous', 'caseNo', 'email', 'facts', 'kind', 'name', 'occurredOn', 'phone'].sort(),
    );
    expect(r.json.errors.find((e: any) => e.path === 'facts').message).toContain('at least 10');
    expect(r.json.errors.find((e: any) => e.path === '$').message).toContain('extra');
  });

  it('asks a named complainant for a name and a way to reach them', async () => {
    const r = await post(t, '/api/complaints', {}, { facts: '窗口工作人员态度恶劣。', anonymous: false });
    expectStatus(r, 400);
    expect(r.json.errors).toEqual([
      { path: 'name', message: 'give a name, or choose to stay anonymous' },
      { path: 'phone', message: 'give a telephone number or an e-mail address, or choose to stay anonymous' },
    ]);
  });

  it('refuses a date in the future and facts over the policy length', async () => {
    const r = await post(
      t,
      '/api/complaints',
      {},
      { ...good, occurredOn: '2026-03-03', facts: '很'.repeat(5001) },
    );
    expectStatus(r, 400);
    expect(r.json.errors.map((e: any) => e.path)).toEqual(['facts', 'occurredOn']);
  });

  it('refuses a body over the form limit, and JSON that does not parse', async () => {
    const big = await post(t, '/api/complaints', {}, { ...good, facts: 'x'.repeat(20_000) });
    expectStatus(big, 413);
    expect(big.json.code).toBe('PAYLOAD_TOO_LARGE');
    const res = await t.app.request('/api/complaints', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"facts": ',
    });
    expect(res.status).toBe(400);
    const plain = await t.app.request('/api/complaints', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(plain.status).toBe(415);
    expect(((await plain.json()) as any).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const empty = await post(t, '/api/complaints', {}, {});
    expectStatus(empty, 400);
    expect(empty.json.errors.map((e: any) => e.path)).toEqual(['facts', 'name', 'phone']);
  });

  it('keeps nothing identifying for an anonymous complaint, even if typed', async () => {
    const r = await post(t, '/api/complaints', {}, { ...good, name: '王五', phone: '13900000000' });
    expectStatus(r, 201);
    const [c] = await t.db
      .select()
      .from(misconductComplainants)
      .where(eq(misconductComplainants.matterId, r.json.reference));
    expect(c).toMatchObject({ anonymous: true, name: null, phone: null, email: null, staffNo: null });
  });
});

describe('the OpenAPI document', () => {
  it('describes the misconduct and verify routes', async () => {
    const res = await t.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/complaints',
        '/api/complaints/status',
        '/api/misconduct/matters/{id}/propose',
        '/api/verify/{number}',
      ]),
    );
    expect(
      doc.paths['/api/complaints'].post.requestBody.content['application/json'].schema.properties.facts,
    ).toBeTruthy();
  });
});

describe('rate limit', () => {
  it('lets a burst through, then refuses with Retry-After, per client', async () => {
    publicLimiters().submit.reset();
    configureClientKey({ keyOf: () => 'flooder' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(t, '/api/complaints', {}, good)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429]);
    const r = await post(t, '/api/complaints', {}, good);
    expect(r.json.code).toBe('RATE_LIMITED');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    configureClientKey({ keyOf: () => 'someone-else' });
    expectStatus(await post(t, '/api/complaints', {}, good), 201);
    useFreshClients();
  });

  it('limits status lookups too', async () => {
    publicLimiters().lookup.reset();
    configureClientKey({ keyOf: () => 'guesser' });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await post(t, '/api/complaints/status', {}, { code: newTrackingCode() })).status);
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses[20]).toBe(429);
    useFreshClients();
  });

  it('trusts X-Forwarded-For only when told a proxy sets it', async () => {
    const { clientKey } = await import('../../src/misconduct/rate-limit.ts');
    configureClientKey({ keyOf: null, trustProxy: false });
    const ctx = {
      req: { header: (h: string) => (h === 'x-forwarded-for' ? '203.0.113.9, 10.0.0.1' : undefined) },
      env: {},
    } as any;
    expect(clientKey(ctx)).toBe('unknown');
    configureClientKey({ trustProxy: true });
    expect(clientKey(ctx)).toBe('203.0.113.9');
    configureClientKey({ trustProxy: false });
    useFreshClients();
  });

  it('refills tokens over time', () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 2, refillSeconds: 10 }, () => now);
    expect([b.take('a'), b.take('a'), b.take('a')]).toEqual([0, 0, 10]);
    now = 5000;
    expect(b.take('a')).toBe(5);
    now = 10_000;
    expect(b.take('a')).toBe(0);
    expect(b.take('b')).toBe(0);
  });

  it('forgets the least recently used clients beyond its size', () => {
    const b = new TokenBuckets({ burst: 1, refillSeconds: 60, maxKeys: 2 }, () => 0);
    b.take('a');
    b.take('b');
    b.take('c'); // 'a' is dropped, so it gets a fresh bucket
    expect(b.take('a')).toBe(0);
    expect(b.take('c')).toBeGreaterThan(0);
  });
});

describe('tracking codes', () => {
  it('are 16 characters of Crockford base32 in four groups, and differ', () => {
    const codes = new Set(Array.from({ length: 200 }, newTrackingCode));
    expect(codes.size).toBe(200);
    for (const c of codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });

  it('read back forgivingly, and hash the same', () => {
    const code = 'K7QM-2XH0-9RTB-W31N';
    expect(normalizeTrackingCode(' k7qm 2xho 9rtb w3ln ')).toBe('K7QM2XH09RTBW31N');
    expect(trackingHash('k7qm2xho9rtbw3ln')).toBe(trackingHash(code));
    expect(trackingHash(code)).toMatch(/^[0-9a-f]{64}$/);
    expect(trackingHash('K7QM-2XH0-9RTB-W31')).toBeNull();
    expect(trackingHash('K7QM-2XH0-9RTB-W31U')).toBeNull();
  });
});
