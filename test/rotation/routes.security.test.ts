/**
 * Who may call each rotation route (policies/roles.yaml, subject Rotation): HR plans and reads,
 * a leader reads and approves, either applies and archives; clerks, inspectors, admins, the
 * approval system's token and anonymous callers get 401/403 everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/index.ts';
import { jsonHeaders, loginAs, systemToken, testApp } from '../helpers.ts';

type Who = 'clerk' | 'inspector' | 'hr' | 'leader' | 'admin' | 'system' | 'anonymous';
const everyone: Who[] = ['clerk', 'inspector', 'hr', 'leader', 'admin', 'system', 'anonymous'];

let t: Awaited<ReturnType<typeof testApp>>;
const as = {} as Record<Who, Record<string, string>>;

beforeAll(async () => {
  t = await testApp();
  await loadDemo(t.db, { seed: 1, today: '2026-06-01' });
  for (const role of ['clerk', 'inspector', 'hr', 'leader', 'admin'] as const)
    as[role] = await loginAs(t, role);
  as.system = await systemToken(t);
  as.anonymous = {};
});
afterAll(() => t?.close());

async function call(who: Who, method: string, path: string, body?: unknown) {
  const res = await t.app.request(path, {
    method,
    headers: { ...(body === undefined ? {} : jsonHeaders), ...as[who] },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : null,
    text,
  };
}

/** Everyone not allowed gets 401 (anonymous) or 403. */
async function deniedToOthers(allowed: Who[], method: string, path: string, body?: unknown) {
  for (const who of everyone.filter((w) => !allowed.includes(w))) {
    const r = await call(who, method, path, body);
    expect(r.status, `${who} ${method} ${path}: ${r.text}`).toBe(who === 'anonymous' ? 401 : 403);
  }
}

const params = { date: '2027-01-01', rounds: 1 };

describe('rotation routes by role', () => {
  let planId: number;

  it('POST /api/rotation/plans: HR only', async () => {
    await deniedToOthers(['hr'], 'POST', '/api/rotation/plans', params);
    const r = await call('hr', 'POST', '/api/rotation/plans', params);
    expect(r.status, r.text).toBe(201);
    planId = r.json.id;
  });

  it('POST /api/rotation/runs and GET /api/rotation/runs/{id}: HR only', async () => {
    await deniedToOthers(['hr'], 'POST', '/api/rotation/runs', {
      ...params,
      overrides: { solver: { timeLimitSeconds: 1 } },
    });
    const r = await call('hr', 'POST', '/api/rotation/runs', {
      ...params,
      overrides: { solver: { timeLimitSeconds: 1 } },
    });
    expect(r.status).toBe(202);
    await deniedToOthers(['hr'], 'GET', `/api/rotation/runs/${r.json.id}`);
    let run = r.json;
    for (let i = 0; i < 600 && run.state === 'running'; i++) {
      await new Promise((res) => setTimeout(res, 100));
      const got = await call('hr', 'GET', `/api/rotation/runs/${r.json.id}`);
      expect(got.status).toBe(200);
      run = got.json;
    }
    expect(run.state).toBe('done');
  });

  it('reading plans, their CSV and PDF, and the overview: HR and leaders', async () => {
    for (const path of [
      '/api/rotation/plans',
      `/api/rotation/plans/${planId}`,
      `/api/rotation/plans/${planId}/csv`,
      `/api/rotation/plans/${planId}/pdf`,
      '/api/rotation/overview?date=2027-01-01',
    ]) {
      await deniedToOthers(['hr', 'leader'], 'GET', path);
      for (const who of ['hr', 'leader'] as const)
        expect((await call(who, 'GET', path)).status, `${who} ${path}`).toBe(200);
    }
  });

  it('approving: leaders only (HR, who drafts, may not)', async () => {
    await deniedToOthers(['leader'], 'POST', `/api/rotation/plans/${planId}/approve`, {});
    expect((await call('leader', 'POST', `/api/rotation/plans/${planId}/approve`, {})).status).toBe(200);
  });

  it('applying and archiving: leaders and HR', async () => {
    await deniedToOthers(['hr', 'leader'], 'POST', `/api/rotation/plans/${planId}/apply`, {});
    expect((await call('hr', 'POST', `/api/rotation/plans/${planId}/apply`, {})).status).toBe(200);
    // A second plan, drafted on the organisation as it now is, applied by a leader.
    const second = await call('hr', 'POST', '/api/rotation/plans', { date: '2028-01-01', rounds: 1 });
    expect(second.status).toBe(201);
    expect((await call('leader', 'POST', `/api/rotation/plans/${second.json.id}/approve`, {})).status).toBe(
      200,
    );
    expect((await call('leader', 'POST', `/api/rotation/plans/${second.json.id}/apply`, {})).status).toBe(
      200,
    );

    await deniedToOthers(['hr', 'leader'], 'POST', `/api/rotation/plans/${planId}/archive`, {});
    expect((await call('hr', 'POST', `/api/rotation/plans/${planId}/archive`, {})).status).toBe(200);
    expect((await call('leader', 'POST', `/api/rotation/plans/${second.json.id}/archive`, {})).status).toBe(
      200,
    );
  });
});
