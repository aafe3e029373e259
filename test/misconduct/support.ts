/**
 * Test support for misconduct: the demo bureau (seed 1) loaded, one account per part people play
 * (two inspectors, two leaders, two clerks, HR, admin), a fixed clock, and small request helpers.
 */
import { demoOrg } from '../../src/demo/org.ts';
import { misconductClock } from '../../src/misconduct/common.ts';
import { configureClientKey } from '../../src/misconduct/rate-limit.ts';
import { publicLimiters } from '../../src/misconduct/routes.ts';
import { importOrg } from '../../src/org/service.ts';
import { jsonHeaders, loginAs, systemToken, testApp } from '../helpers.ts';

/** Staff numbers of the demo bureau the tests use. */
export const S = {
  inspector: 'S036',
  inspector2: 'S037',
  leader: 'S002',
  leader2: 'S001',
  clerk: 'S026',
  clerk2: 'S009',
  other: 'S010',
  hr: 'S039',
};

export type TestApp = Awaited<ReturnType<typeof testApp>>;
export type Headers = Record<string, string>;

/** Sets the clock of the misconduct routes to 10:00 (Asia/Shanghai) of `date`. */
export function setToday(date: string) {
  misconductClock.now = () => new Date(`${date}T10:00:00+08:00`);
}

let client = 0;
/** Each request looks like a new client, so only the rate-limit tests meet the limit. */
export const useFreshClients = () => configureClientKey({ keyOf: () => `test-client-${++client}` });

export async function misconductApp() {
  const t = await testApp();
  await importOrg(t.db, demoOrg(1), { actor: 'test', today: '2026-01-05' });
  setToday('2026-03-02');
  // Every test request comes from a new address (no rate limit) unless a test says otherwise.
  useFreshClients();
  publicLimiters().submit.reset();
  publicLimiters().lookup.reset();
  const as = {
    inspector: await loginAs(t, 'inspector', { name: 'insp-wang', staffNo: S.inspector }),
    inspector2: await loginAs(t, 'inspector', { name: 'insp-li', staffNo: S.inspector2 }),
    leader: await loginAs(t, 'leader', { name: 'lead-zhang', staffNo: S.leader }),
    leader2: await loginAs(t, 'leader', { name: 'lead-chen', staffNo: S.leader2 }),
    clerk: await loginAs(t, 'clerk', { name: 'clerk-a', staffNo: S.clerk }),
    clerk2: await loginAs(t, 'clerk', { name: 'clerk-b', staffNo: S.clerk2 }),
    hr: await loginAs(t, 'hr', { name: 'hr-xu', staffNo: S.hr }),
    admin: await loginAs(t, 'admin', { name: 'admin-1' }),
    system: await systemToken(t),
    anonymous: {} as Headers,
  };
  return { ...t, as };
}

export type MisconductTestApp = Awaited<ReturnType<typeof misconductApp>>;

export async function post(t: TestApp, path: string, headers: Headers, body?: unknown) {
  const res = await t.app.request(path, {
    method: 'POST',
    headers: { ...jsonHeaders, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, json, text, headers: res.headers };
}

export async function get(t: TestApp, path: string, headers: Headers) {
  const res = await t.app.request(path, { headers });
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json'))
    return { status: res.status, json: (await res.json()) as any, headers: res.headers, bytes: null };
  return {
    status: res.status,
    json: null as any,
    headers: res.headers,
    bytes: new Uint8Array(await res.arrayBuffer()),
  };
}

/** Expects a status, showing the body when it differs. */
export function expectStatus(r: { status: number; json?: any; text?: string }, status: number) {
  if (r.status !== status)
    throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.json ?? r.text)}`);
}

/** A complaint from the public form, returning its reference and tracking code. */
export async function fileComplaintVia(t: TestApp, over: Record<string, unknown> = {}) {
  const r = await post(
    t,
    '/api/complaints',
    {},
    {
      kind: 'complaint',
      facts: '3月1日在综合窗口办理施工许可，工作人员态度生硬，多次推诿。',
      concerned: '综合受理岗一',
      anonymous: false,
      name: '李先生',
      phone: '13800000000',
      ...over,
    },
  );
  expectStatus(r, 201);
  return r.json as { reference: number; trackingCode: string; receivedOn: string };
}

/** Registers a matter as an inspector, assigns it to insp-wang and starts the investigation. */
export async function openInvestigation(t: MisconductTestApp, staff: string[], facts = '核查发现的问题') {
  const r = await post(t, '/api/misconduct/matters', t.as.inspector, {
    source: 'verification',
    sourceRef: `test:${Math.random()}`,
    staff,
    cases: [],
    facts,
  });
  expectStatus(r, 201);
  const id = r.json.id as number;
  expectStatus(
    await post(t, `/api/misconduct/matters/${id}/assign`, t.as.inspector, { inspector: 'insp-wang' }),
    200,
  );
  expectStatus(await post(t, `/api/misconduct/matters/${id}/start`, t.as.inspector), 200);
  return id;
}
