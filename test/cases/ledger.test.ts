/**
 * The ledger: filters (lights at a given day included), keyset paging, what each role sees
 * (a clerk only the cases they acted on; applicant data masked unless the role may read it),
 * one case with its timeline, red cards raised and resolved.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raiseRedCards } from '../../src/cases/alerts.ts';
import { ingestCaseRecords } from '../../src/cases/ingest.ts';
import { type CaseFilters, type CaseSort, listCases } from '../../src/cases/query.ts';
import { queryRows } from '../../src/db/client.ts';
import { loginAs, systemToken } from '../helpers.ts';
import { type Line, ledgerApp, STAFF, story } from './support.ts';

const TZ = 'Asia/Shanghai';
const at = (d: string) => new Date(`${d}T12:00:00+08:00`);

describe('the case ledger', () => {
  let t: Awaited<ReturnType<typeof ledgerApp>>;
  const h: Record<string, Record<string, string>> = {};
  const ingest = (lines: Line[], now: string) =>
    ingestCaseRecords(t.database, lines, { actor: 'test', source: 'test', timeZone: TZ, now: at(now) }).catch(
      (e) => {
        throw new Error(`${e.message}: ${JSON.stringify(e.errors)}`);
      },
    );
  const get = async (path: string, who = 'inspector') => {
    const res = await t.app.request(path, { headers: h[who] });
    return { status: res.status, body: (await res.json()) as any };
  };
  const nos = (body: any) => body.rows.map((r: any) => r.caseNo).sort();

  beforeAll(async () => {
    t = await ledgerApp();
    h.inspector = await loginAs(t, 'inspector');
    h.leader = await loginAs(t, 'leader');
    h.clerk = await loginAs(t, 'clerk', { staffNo: STAFF.accept });
    h.clerk2 = await loginAs(t, 'clerk', { staffNo: 'S007' });
    h.unlinked = await loginAs(t, 'clerk');
    h.system = await systemToken(t);
    const result = await ingest(
      [
        ...story('L-RED', [
          ['2026-03-02', 'receipt'],
          ['2026-03-02', 'accept'],
        ]),
        ...story(
          'L-YELLOW',
          [
            ['2026-03-09', 'receipt'],
            ['2026-03-09', 'accept'],
          ],
          {
            receivedAt: '2026-03-09T09:00:00+08:00',
          },
        ),
        ...story(
          'L-GREEN',
          [
            ['2026-03-09', 'receipt', 'S007'],
            ['2026-03-09', 'accept', 'S007'],
          ],
          {
            itemCode: 'ZZ-004',
            receivedAt: '2026-03-09T09:30:00+08:00',
            applicant: { kind: 'org', name: '泉州某建设有限公司', id: '91350500MA2XXXXXX1' },
          },
        ),
        ...story(
          'L-DONE',
          [
            ['2026-03-02', 'receipt'],
            ['2026-03-02', 'accept'],
            ['2026-03-03', 'approve'],
            ['2026-03-04', 'complete'],
          ],
          { receivedAt: '2026-03-02T08:00:00+08:00' },
        ),
        ...story(
          'L-FAST',
          [
            ['2026-03-10', 'receipt'],
            ['2026-03-10', 'accept'],
          ],
          {
            route: 'fast_track',
            channel: 'online',
            receivedAt: '2026-03-10T09:00:00+08:00',
          },
        ),
        ...story(
          'L-STOPPED',
          [
            ['2026-03-03', 'receipt'],
            ['2026-03-03', 'accept'],
            ['2026-03-04', 'clock_stop', STAFF.review, { reason: 'expert_review', applicantNotified: true }],
          ],
          { receivedAt: '2026-03-03T09:00:00+08:00' },
        ),
        ...story(
          'L-EXT',
          [
            ['2026-03-02', 'receipt'],
            ['2026-03-02', 'accept'],
          ],
          { receivedAt: '2026-03-02T10:00:00+08:00' },
        ),
        ...story(
          'L-LATE',
          [
            ['2026-03-02', 'receipt'],
            ['2026-03-02', 'accept'],
            ['2026-03-12', 'approve'],
            ['2026-03-12T15:00:00+08:00', 'complete'],
          ],
          { receivedAt: '2026-03-02T08:30:00+08:00' },
        ),
        ...story('L-PENDING', [['2026-03-09', 'receipt']], { receivedAt: '2026-03-09T10:00:00+08:00' }),
      ],
      '2026-03-11',
    );
    expect(result.cases.new).toBe(9);
  });
  afterAll(() => t.close());

  it('filters by light on a given day', async () => {
    const light = async (l: string) => nos((await get(`/api/cases?light=${l}&asOf=2026-03-11`)).body);
    expect(await light('red')).toEqual(['L-EXT', 'L-RED']);
    expect(await light('yellow')).toEqual(['L-FAST', 'L-PENDING', 'L-YELLOW']);
    expect(await light('green')).toEqual(['L-GREEN', 'L-STOPPED']);
    expect(await light('none')).toEqual(['L-DONE', 'L-LATE']);
    expect(await light('red,yellow')).toEqual(['L-EXT', 'L-FAST', 'L-PENDING', 'L-RED', 'L-YELLOW']);
    // On the 5th, L-RED was still yellow.
    const earlier = await get('/api/cases?light=yellow&asOf=2026-03-05');
    expect(nos(earlier.body)).toContain('L-RED');
    const row = earlier.body.rows.find((r: any) => r.caseNo === 'L-RED');
    expect(row).toMatchObject({
      light: 'yellow',
      committedDue: '2026-03-05',
      daysLeft: 0,
      workingDaysUsed: 3,
    });
  });

  it('filters by state, item, business, clerk, responsible, route, channel and dates', async () => {
    const q = async (query: string) => nos((await get(`/api/cases?${query}&asOf=2026-03-11`)).body);
    expect(await q('state=completed')).toEqual(['L-DONE', 'L-LATE']);
    expect(await q('state=under_review')).toEqual(['L-STOPPED']);
    expect(await q('item=ZZ-004')).toEqual(['L-GREEN']);
    expect(await q('business=enterprise-qualification')).toEqual(['L-GREEN']);
    expect(await q('clerk=S007')).toEqual(['L-GREEN']);
    expect(await q('clerk=S009')).toEqual(['L-STOPPED']);
    expect(await q('responsible=S007')).toEqual(['L-GREEN']);
    expect(await q('route=fast_track')).toEqual(['L-FAST']);
    expect(await q('channel=online')).toEqual(['L-FAST']);
    expect(await q('receivedFrom=2026-03-09&receivedTo=2026-03-09')).toEqual([
      'L-GREEN',
      'L-PENDING',
      'L-YELLOW',
    ]);
    expect(await q('completedFrom=2026-03-12&completedTo=2026-03-31')).toEqual(['L-LATE']);
    expect(await q('open=false')).toEqual(['L-DONE', 'L-LATE']);
    expect(await q('state=accepted&light=red&item=SG-001')).toEqual(['L-EXT', 'L-RED']);
    const bad = await get('/api/cases?light=purple');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toMatch(/^query\.light/);
  });

  it('shows a clerk only the cases they acted on, most urgent first', async () => {
    const mine = await get('/api/cases?open=true&sort=due&asOf=2026-03-11', 'clerk2');
    expect(nos(mine.body)).toEqual(['L-GREEN']);
    const other = await get('/api/cases?clerk=S026&asOf=2026-03-11', 'clerk2');
    expect(nos(other.body)).toEqual(['L-GREEN']);
    const s026 = await get('/api/cases?open=true&sort=due&asOf=2026-03-11&receivedTo=2026-03-31', 'clerk');
    const lights = s026.body.rows.map((r: any) => r.light);
    expect(lights.indexOf('red')).toBeLessThan(lights.indexOf('yellow'));
    expect(nos(s026.body)).not.toContain('L-GREEN');
    expect((await get('/api/cases', 'unlinked')).body.rows).toEqual([]);
    expect((await get('/api/cases/L-GREEN', 'clerk2')).status).toBe(200);
    expect((await get('/api/cases/L-RED', 'clerk2')).status).toBe(404);
  });

  it('masks applicant data for roles that may not read it', async () => {
    const row = async (who: string) =>
      (await get('/api/cases?item=ZZ-004&receivedTo=2026-03-31', who)).body.rows.find(
        (r: any) => r.caseNo === 'L-GREEN',
      );
    expect((await row('clerk2')).applicant).toEqual({
      kind: 'org',
      name: '泉********',
      id: '9135**********XXX1',
      masked: true,
    });
    for (const who of ['inspector', 'leader', 'system'])
      expect((await row(who)).applicant).toMatchObject({
        name: '泉州某建设有限公司',
        id: '91350500MA2XXXXXX1',
        masked: false,
      });
    expect((await get('/api/cases/L-GREEN', 'clerk2')).body.case.applicant.name).toBe('泉********');
    const person = await get('/api/cases/L-RED', 'clerk');
    expect(person.body.case.applicant).toMatchObject({ name: '陈*', id: '3505**********1234' });
  });

  it('shows one case with its timeline, decisions, deadlines, anomalies and alerts', async () => {
    const { status, body } = await get('/api/cases/L-STOPPED?asOf=2026-03-11');
    expect(status).toBe(200);
    expect(body.case).toMatchObject({ caseNo: 'L-STOPPED', itemCode: 'SG-001', route: 'normal' });
    expect(body.events.map((e: any) => e.action)).toEqual(['receipt', 'accept', 'clock_stop']);
    expect(body.events[1]).toMatchObject({
      actionName: '受理',
      authority: { allowed: true, via: 'own', post: 'P-ACCEPT-1', rule: { file: 'acceptance.yaml' } },
    });
    expect(body.events[1].authority.policyVersion).toMatch(/^[0-9a-f]{64}$/);
    expect(body.clock).toMatchObject({
      state: 'under_review',
      acceptedOn: '2026-03-03',
      clockStoppedSince: '2026-03-04',
      light: 'green',
      statutoryDays: 15,
    });
    const odd = await get('/api/cases/L-DONE');
    expect(odd.body.anomalies).toEqual([]);
    const missing = await get('/api/cases/NOPE');
    expect(missing.status).toBe(404);
  });

  it('raises red cards for cases red for the follow-up period, and resolves them', async () => {
    const cards = async () =>
      queryRows<any>(
        t.db,
        sql`select case_no, staff_no, raised_on, resolution from case_alerts where case_no like 'L-%' order by case_no`,
      );
    // Ingested on the 11th: L-RED and L-EXT (due the 5th) got theirs on the 10th; L-LATE, completed
    // on the 12th, was red-carded on the 10th and resolved at completion.
    expect(await cards()).toEqual([
      { case_no: 'L-EXT', staff_no: STAFF.accept, raised_on: '2026-03-10', resolution: null },
      { case_no: 'L-LATE', staff_no: STAFF.accept, raised_on: '2026-03-10', resolution: 'completed' },
      { case_no: 'L-RED', staff_no: STAFF.accept, raised_on: '2026-03-10', resolution: null },
    ]);
    // Completion resolves; an approved extension that moves the deadline past today resolves too.
    await ingest(
      [
        ...story('L-RED', [
          ['2026-03-02', 'receipt'],
          ['2026-03-02', 'accept'],
          ['2026-03-12', 'approve'],
          ['2026-03-12T16:00:00+08:00', 'complete'],
        ]),
        ...story(
          'L-EXT',
          [
            ['2026-03-02', 'receipt'],
            ['2026-03-02', 'accept'],
            [
              '2026-03-12',
              'extend',
              STAFF.head,
              { days: 10, approvedBy: STAFF.head, applicantNotified: true },
            ],
          ],
          { receivedAt: '2026-03-02T10:00:00+08:00' },
        ),
      ],
      '2026-03-12',
    );
    expect(await cards()).toEqual([
      { case_no: 'L-EXT', staff_no: STAFF.accept, raised_on: '2026-03-10', resolution: 'deadline-moved' },
      { case_no: 'L-LATE', staff_no: STAFF.accept, raised_on: '2026-03-10', resolution: 'completed' },
      { case_no: 'L-RED', staff_no: STAFF.accept, raised_on: '2026-03-10', resolution: 'completed' },
    ]);
    const api = await get('/api/case-alerts?open=false');
    expect(api.body.map((a: any) => a.caseNo)).toEqual(expect.arrayContaining(['L-RED', 'L-EXT', 'L-LATE']));
    expect(api.body.find((a: any) => a.caseNo === 'L-RED').resolvedAt).toBe('2026-03-12T08:00:00.000Z');
    expect((await get('/api/case-alerts', 'clerk2')).body).toEqual([]);
  });

  it('a timer run raises red cards as days pass and turns pending acceptances into deemed ones', async () => {
    const raisedOn = async (d: string) => {
      const before = await queryRows<any>(t.db, sql`select max(id) as id from case_alerts`);
      const run = await raiseRedCards(t.db, at(d), { timeZone: TZ });
      const rows = await queryRows<any>(
        t.db,
        sql`select case_no from case_alerts where id > ${before[0].id ?? 0} order by case_no`,
      );
      return { run, cases: rows.map((r) => r.case_no) };
    };
    // L-FAST (fast track, due the 11th) gets its red card on the 16th; L-YELLOW (due the 12th) and
    // L-PENDING (never accepted: reckoned from receipt on the 9th, due the 12th) on the 17th.
    expect((await raisedOn('2026-03-13')).cases).toEqual([]);
    expect((await raisedOn('2026-03-16')).cases).toEqual(['L-FAST']);
    const run = (await raisedOn('2026-03-17')).run;
    expect(run.raised).toBe(2);
    expect(run.deemed).toBe(1);
    const open = await queryRows<any>(
      t.db,
      sql`select case_no from case_alerts where resolved_at is null and case_no in ('L-YELLOW', 'L-PENDING') order by case_no`,
    );
    expect(open.map((r) => r.case_no)).toEqual(['L-PENDING', 'L-YELLOW']);
    const [pending] = await queryRows<any>(
      t.db,
      sql`select state, acceptance from case_state where case_no = 'L-PENDING'`,
    );
    expect(pending).toEqual({ state: 'accepted', acceptance: 'deemed' });
    expect((await raiseRedCards(t.db, at('2026-03-17'), { timeZone: TZ })).raised).toBe(0);
  });

  it('pages with a cursor, newest first or most urgent first, without gaps or repeats', async () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      story(`P-${String(i).padStart(3, '0')}`, [['2026-04-01T10:00:00+08:00', 'receipt']], {
        // Pairs share a receipt time, so the case number breaks ties.
        receivedAt: `2026-04-01T09:${String(Math.floor(i / 2)).padStart(2, '0')}:00+08:00`,
        itemCode: i % 3 === 0 ? 'SG-001' : 'ZZ-004',
      }),
    ).flat();
    await ingest(many, '2026-04-01');
    for (const sort of ['received', 'due']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await get(
          `/api/cases?receivedFrom=2026-04-01&sort=${sort}&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        expect(page.body.rows.length).toBeLessThanOrEqual(7);
        seen.push(...page.body.rows.map((r: any) => r.caseNo));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(60);
      expect(new Set(seen).size).toBe(60);
      if (sort === 'received') expect(seen[0]).toBe('P-059');
      if (sort === 'due') {
        const dues: Record<string, string> = Object.fromEntries(
          (
            await queryRows<any>(
              t.db,
              sql`select case_no, committed_due from case_state where case_no like 'P-%'`,
            )
          ).map((r) => [r.case_no, r.committed_due]),
        );
        const order = seen.map((n) => dues[n]);
        expect(order).toEqual([...order].sort());
      }
    }
    const wrong = await get('/api/cases?cursor=bm9wZQ');
    expect(wrong.status).toBe(400);
  });

  it('pages the same whether a page is found in the index window or by filtering first', async () => {
    const all = async (f: CaseFilters, sort: CaseSort, window: number) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listCases(t.db, f, {
          today: '2026-04-01',
          timeZone: TZ,
          sort,
          limit: 4,
          cursor,
          window,
        });
        seen.push(...page.rows.map((r) => r.caseNo));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    const filters: CaseFilters[] = [
      {},
      { item: ['SG-001'] },
      { light: ['red'] },
      { anomalous: false },
      { clerk: 'S007' },
    ];
    let compared = 0;
    for (const sort of ['received', 'due', 'completed'] as CaseSort[]) {
      for (const f of filters) {
        const wide = await all(f, sort, 100_000);
        // A window of 3 rows: most pages need the second, filter-first attempt.
        expect(await all(f, sort, 3), `${sort} ${JSON.stringify(f)}`).toEqual(wide);
        compared += wide.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
