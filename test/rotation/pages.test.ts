/**
 * The rotation pages, server-side: HR sees warnings and the competency matrix, starts the planner
 * (a run page that refreshes itself, then the draft), reads moves with reasons and coverage; a
 * leader approves and applies with forms (CSRF). Other roles get the 403 page, anonymous users
 * the login page; the wording files have the same keys in both languages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadDemo } from '../../src/demo/index.ts';
import { templatesDir } from '../../src/paths.ts';
import { flatten } from '../../src/web/i18n.ts';
import { loginAs, testApp } from '../helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
const as: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await testApp();
  await loadDemo(t.db, { seed: 1, today: '2026-06-01' });
  for (const role of ['clerk', 'inspector', 'hr', 'leader', 'admin'] as const)
    as[role] = await loginAs(t, role);
});
afterAll(() => t?.close());

const get = async (path: string, who: string) => {
  const res = await t.app.request(path, { headers: { cookie: as[who]?.cookie ?? '' } });
  return { status: res.status, html: await res.text(), headers: res.headers };
};
const form = async (path: string, who: string, fields: Record<string, string>) => {
  const body = new URLSearchParams({ _csrf: as[who]['x-csrf-token'], ...fields });
  const res = await t.app.request(path, {
    method: 'POST',
    headers: { cookie: as[who].cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  return { status: res.status, html: await res.text(), location: res.headers.get('location') };
};

describe('rotation pages', () => {
  let planPath: string;

  it('shows HR the planner form, tenure warnings and the competency matrix', async () => {
    const r = await get('/rotation', 'hr');
    expect(r.status).toBe(200);
    expect(r.html).toContain('id="plan-form"');
    expect(r.html).toContain('id="warnings"');
    expect(r.html).toContain('id="matrix"');
    expect(r.html).toContain('construction-permit');
    const leader = await get('/rotation', 'leader');
    expect(leader.status).toBe(200);
    expect(leader.html).not.toContain('id="plan-form"');
  });

  it('runs the planner from the form: a progress page that refreshes, then the draft', async () => {
    const started = await form('/rotation/runs', 'hr', { date: '2027-01-01', rounds: '1' });
    expect(started.status).toBe(303);
    const runPath = started.location!;
    expect(runPath).toMatch(/^\/rotation\/runs\/[0-9a-f]{16}$/);
    let page = await get(runPath, 'hr');
    for (let i = 0; i < 600 && page.status === 200; i++) {
      expect(page.headers.get('refresh')).toBe('1');
      await new Promise((res) => setTimeout(res, 100));
      page = await get(runPath, 'hr');
    }
    expect(page.status).toBe(303);
    planPath = page.headers.get('location')!;
    expect(planPath).toMatch(/^\/rotation\/plans\/\d+$/);
  });

  it('shows the draft: moves with reasons, coverage before and after, no approve button for HR', async () => {
    const r = await get(planPath, 'hr');
    expect(r.status).toBe(200);
    expect(r.html).toContain('草案');
    expect(r.html).toMatch(/data-code="max-tenure">在[^<]*连续任职[\d.]+年，达到5年上限/);
    expect(r.html).toContain('id="coverage"');
    expect(r.html).not.toContain('id="btn-approve"');
    expect(r.html).toContain('/csv?locale=zh-CN');
  });

  it('lets a leader approve and then apply, with a notice each time', async () => {
    const page = await get(planPath, 'leader');
    expect(page.html).toContain('id="btn-approve"');
    const approved = await form(`${planPath}/approve`, 'leader', {});
    expect(approved.status).toBe(303);
    expect(approved.location).toBe(`${planPath}?done=approved`);
    const after = await get(approved.location!, 'leader');
    expect(after.html).toContain('计划已批准');
    expect(after.html).toContain('id="btn-apply"');
    const again = await form(`${planPath}/approve`, 'leader', {});
    expect(again.status).toBe(200);
    expect(again.html).toContain('notice-error');
    const applied = await form(`${planPath}/apply`, 'leader', {});
    expect(applied.status).toBe(303);
    expect((await get(applied.location!, 'leader')).html).toContain('已执行');
  });

  it('refuses other roles (403 page) and sends anonymous users to log in', async () => {
    for (const who of ['clerk', 'inspector', 'admin']) {
      expect((await get('/rotation', who)).status).toBe(403);
      expect((await get(planPath, who)).status).toBe(403);
      expect((await form('/rotation/runs', who, { date: '2027-01-01', rounds: '1' })).status).toBe(403);
    }
    expect((await form(`${planPath}/archive`, 'clerk', {})).status).toBe(403);
    const anon = await t.app.request('/rotation');
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toMatch(/^\/login\?next=/);
    // HR may not approve through the page either.
    expect((await form(`${planPath}/approve`, 'hr', {})).status).toBe(403);
    // A form without the CSRF token is refused.
    const res = await t.app.request('/rotation/runs', {
      method: 'POST',
      headers: { cookie: as.hr.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'date=2027-01-01&rounds=1',
    });
    expect(res.status).toBe(403);
  });
});

describe('templates/rotation', () => {
  it('has the same keys and placeholders in zh-CN and en', () => {
    const load = (l: string) =>
      flatten(parse(readFileSync(join(templatesDir, 'rotation', `${l}.yaml`), 'utf8')));
    const zh = load('zh-CN');
    const en = load('en');
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    const params = (s: string) =>
      [...s.matchAll(/\{(\w+)\}/g)]
        .map((m) => m[1])
        .sort()
        .join();
    expect([...zh.keys()].filter((k) => params(zh.get(k)!) !== params(en.get(k)!))).toEqual([]);
  });
});
