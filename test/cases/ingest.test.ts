/**
 * Ingestion through POST /api/cases/events: stored with authority decisions and anomalies,
 * idempotent, atomic, every kind of bad line reported with its number, Idempotency-Key.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { systemToken } from '../helpers.ts';
import { caseLine, ev, type Line, ledgerApp, ndjson, STAFF, story } from './support.ts';

describe('POST /api/cases/events', () => {
  let t: Awaited<ReturnType<typeof ledgerApp>>;
  let auth: Record<string, string>;
  beforeAll(async () => {
    t = await ledgerApp();
    auth = await systemToken(t);
  });
  afterAll(() => t.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    t.app.request('/api/cases/events', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-ndjson', ...headers },
      body,
    });
  const counts = async () => {
    const [row] = await queryRows<Record<string, number>>(
      t.db,
      sql`select (select count(*) from cases)::int as cases, (select count(*) from case_events)::int as events,
        (select count(*) from case_state)::int as states, (select count(*) from case_imports)::int as imports,
        (select count(*) from case_alerts)::int as alerts`,
    );
    return { ...row, audit: (await verifyAuditChain(t.db)).entries };
  };
  const eventsOf = (caseNo: string) =>
    queryRows<any>(t.db, sql`select * from case_events where case_no = ${caseNo} order by seq`);

  const full = (no: string) =>
    story(no, [
      ['2026-03-02', 'receipt'],
      ['2026-03-02T11:00:00+08:00', 'accept'],
      ['2026-03-03', 'review'],
      ['2026-03-04', 'approve'],
      ['2026-03-04T11:00:00+08:00', 'seal', STAFF.approve, { seal: 'official' }],
      ['2026-03-04T12:00:00+08:00', 'complete'],
      ['2026-03-05', 'announce'],
    ]);

  it('stores cases and events, each event with the authority decision in force at its time', async () => {
    const res = await post(ndjson(full('T-1')));
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body).toMatchObject({
      lines: 8,
      cases: { new: 1, unchanged: 0 },
      events: { new: 7, unchanged: 0 },
    });
    expect(body.importId).toBeGreaterThan(0);
    const events = await eventsOf('T-1');
    expect(events.map((e) => e.action)).toEqual([
      'receipt',
      'accept',
      'review',
      'approve',
      'seal',
      'complete',
      'announce',
    ]);
    expect(events[0]).toMatchObject({
      actor: STAFF.accept,
      allowed: true,
      via: 'own',
      post: 'P-ACCEPT-1',
      rule: { file: 'acceptance.yaml', post: 'P-ACCEPT-1', grant: 'intake' },
    });
    expect(events[0].policy_version).toMatch(/^[0-9a-f]{64}$/);
    expect(events[0].reasons).toEqual([]); // an allowed decision is told by via, post and rule
    expect(events[3]).toMatchObject({ actor: STAFF.approve, allowed: true, post: 'P-APPROVE-1' });
    expect(events.every((e) => e.import_id === body.importId)).toBe(true);
    const [state] = await queryRows<any>(t.db, sql`select * from case_state where case_no = 'T-1'`);
    expect(state).toMatchObject({
      state: 'announced',
      committed_due: '2026-03-05',
      overdue: false,
      result: 'granted',
    });
  });

  it('stores a denial as well: the special seal on an item that needs the official seal', async () => {
    const lines = story('T-SEAL', [
      ['2026-03-02', 'receipt'],
      ['2026-03-02', 'accept'],
      ['2026-03-03', 'approve'],
      ['2026-03-03T11:00:00+08:00', 'seal', STAFF.approve, { seal: 'special' }],
    ]);
    const res = await post(ndjson(lines));
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).denied).toBe(1);
    const [seal] = (await eventsOf('T-SEAL')).slice(3);
    expect(seal.allowed).toBe(false);
    expect(seal.reasons.join(' ')).not.toBe('');
    const [state] = await queryRows<any>(
      t.db,
      sql`select denied_count from case_state where case_no = 'T-SEAL'`,
    );
    expect(state.denied_count).toBe(1);
  });

  it('decides a B holder acting for an absent A as acting-for', async () => {
    // S007 holds P-ACCEPT-2 as A and is absent 3-6 June 2026; S031 is its B.
    const lines = story('T-AB', [['2026-06-04T09:30:00+08:00', 'receipt', 'S031']], {
      receivedAt: '2026-06-04T09:00:00+08:00',
    });
    expect((await post(ndjson(lines))).status).toBe(200);
    const [receipt] = await eventsOf('T-AB');
    expect(receipt).toMatchObject({
      allowed: true,
      via: 'acting-for',
      post: 'P-ACCEPT-2',
      acting_for: 'S007',
    });
  });

  it('sending the same events again stores nothing new', async () => {
    const before = await counts();
    const res = await post(ndjson(full('T-1')));
    expect(res.status).toBe(200);
    expect((await res.json()) as any).toMatchObject({
      importId: null,
      cases: { new: 0, unchanged: 1 },
      events: { new: 0, unchanged: 7 },
    });
    expect(await counts()).toEqual(before);
  });

  it('takes a JSON array as well, numbering its elements like lines', async () => {
    const res = await t.app.request('/api/cases/events', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(full('T-ARRAY'), null, 2),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).events.new).toBe(7);
    const bad = [...full('T-ARRAY2')];
    bad[3] = { ...bad[3], actor: 'S999' };
    const res2 = await t.app.request('/api/cases/events', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(bad),
    });
    expect(res2.status).toBe(400);
    expect(((await res2.json()) as any).errors).toEqual([
      { path: 'line 4', message: 'actor S999 is not staff' },
    ]);
  });

  it('continues a case in a later request, and refuses a gap after what is stored', async () => {
    const all = full('T-LATER');
    expect((await post(ndjson(all.slice(0, 4)))).status).toBe(200);
    const [open] = await queryRows<any>(
      t.db,
      sql`select state, last_seq from case_state where case_no = 'T-LATER'`,
    );
    expect(open).toEqual({ state: 'under_review', last_seq: 3 });
    const gap = await post(ndjson(all.slice(5)));
    expect(gap.status).toBe(400);
    expect(((await gap.json()) as any).errors[0]).toEqual({
      path: 'line 1',
      message: 'seq 5 of case T-LATER follows a gap: seq 4 is missing',
    });
    const rest = await post(ndjson(all.slice(4)));
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as any).events).toEqual({ new: 4, unchanged: 0 });
    const [done] = await queryRows<any>(
      t.db,
      sql`select state, last_seq, actors from case_state where case_no = 'T-LATER'`,
    );
    expect(done).toEqual({
      state: 'announced',
      last_seq: 7,
      actors: [STAFF.accept, STAFF.review, STAFF.approve, STAFF.announce],
    });
  });

  it('the same caseNo and seq with different content is an error, and nothing is stored', async () => {
    const before = await counts();
    const changed = full('T-1');
    changed[3] = { ...changed[3], actor: STAFF.chief };
    const res = await post(ndjson([...full('T-NEW'), ...changed]));
    expect(res.status).toBe(400);
    const problem: any = await res.json();
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors).toEqual([
      { path: 'line 12', message: 'seq 3 of case T-1 is stored with a different actor' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('stores events that break the expected order, flagged as anomalies', async () => {
    const lines = story('T-ODD', [
      ['2026-03-02', 'receipt'],
      ['2026-03-03', 'approve'],
      ['2026-03-04', 'accept'],
      ['2026-03-05', 'complete', STAFF.approve, { result: 'granted' }],
    ]);
    const noDecision = story('T-ODD2', [
      ['2026-03-02', 'receipt'],
      ['2026-03-02', 'accept'],
      ['2026-03-05', 'complete'],
      ['2026-03-04', 'announce'],
    ]);
    const res = await post(ndjson([...lines, ...noDecision]));
    expect(res.status).toBe(200);
    // The approve before acceptance, the complete without a decision, the announce timed before it.
    expect(((await res.json()) as any).anomalous).toBe(3);
    expect((await eventsOf('T-ODD')).map((e) => e.anomalies)).toEqual([
      [],
      ['decision_before_accept'],
      [],
      [],
    ]);
    expect((await eventsOf('T-ODD2')).map((e) => e.anomalies)).toEqual([
      [],
      [],
      ['complete_without_decision'],
      ['time_out_of_order'],
    ]);
    const states = await queryRows<any>(
      t.db,
      sql`select case_no, anomalies, anomaly_count from case_state where case_no in ('T-ODD', 'T-ODD2') order by case_no`,
    );
    expect(states).toEqual([
      { case_no: 'T-ODD', anomalies: ['decision_before_accept'], anomaly_count: 1 },
      { case_no: 'T-ODD2', anomalies: ['complete_without_decision', 'time_out_of_order'], anomaly_count: 2 },
    ]);
  });

  it('refuses a request with any bad line whole, listing every bad line with its number and reason', async () => {
    const before = await counts();
    const good = full('T-GOOD');
    const lines: (Line | string)[] = [
      ...good, // 1-8 good
      '{"type":"event", oops', // 9
      { type: 'note', caseNo: 'T-GOOD' }, // 10
      { ...ev('T-GOOD', 8, '2026-03-06', 'fly', STAFF.accept) }, // 11
      { ...ev('T-GOOD', 8, '2026-03-06', 'extend', STAFF.head, { days: 1.5, approvedBy: STAFF.head }) }, // 12
      { ...ev('T-GOOD', 8, '2026-03-06 10:00', 'announce', STAFF.announce) }, // 13
      caseLine('T-ITEM', { itemCode: 'NO-SUCH' }), // 14
      ev('T-NOBODY', 1, '2026-03-02', 'receipt', STAFF.accept, { receiptNo: 'R1' }), // 15
      ev('T-GOOD', 20, '2026-03-06', 'deliver', STAFF.accept), // 16: seq 13-19 missing
      { ...good[2], actor: STAFF.review }, // 17: seq 2 again, other actor (differs from line 3)
      ev('T-GOOD', 8, '2026-03-06', 'deliver', 'S999'), // 18
      ev('T-GOOD', 9, '2026-03-01', 'deliver', STAFF.accept), // 19: before receipt
      ev('T-LATE', 1, '2026-03-02', 'receipt', STAFF.accept, { receiptNo: 'R2' }), // 20: before its case line
      caseLine('T-LATE'), // 21
      caseLine('T-1', { route: 'fast_track' }), // 22: stored with other content
      { ...caseLine('T-BADCASE'), channel: 'fax' }, // 23
      ev('T-BADCASE', 1, '2026-03-02', 'receipt', STAFF.accept, { receiptNo: 'R3' }), // 24
      ev('T-GOOD', 11, '2026-03-09', 'extend', STAFF.head, { days: 2, approvedBy: 'S998' }), // 25
      ev('T-GOOD', 12, '2026-03-09', 'file_rejection', STAFF.accept, { filedTo: 'S997' }), // 26
      { type: 'case', caseNo: 'T-MISSING' }, // 27
    ];
    const body = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
    const res = await post(body);
    expect(res.status).toBe(400);
    const problem: any = await res.json();
    const byLine = Object.fromEntries(problem.errors.map((e: any) => [e.path, e.message]));
    const expected: Record<string, RegExp> = {
      'line 9': /not valid JSON/,
      'line 10': /unknown line type "note"/,
      'line 11': /action: unknown action/,
      'line 12': /data\.days: must be a whole number/,
      'line 13': /at: must be an ISO 8601 time with an offset/,
      'line 14': /unknown item NO-SUCH/,
      'line 15': /unknown case T-NOBODY/,
      'line 16': /seq 20 of case T-GOOD follows a gap: seq 19 is missing/,
      'line 17': /seq 2 of case T-GOOD differs from line 3 in actor/,
      'line 18': /actor S999 is not staff/,
      'line 19': /at 2026-03-01 10:00:00 is before case T-GOOD was received \(2026-03-02 09:15:00\)/,
      'line 20': /comes before the line of its case T-LATE \(line 21\)/,
      'line 22': /case T-1 is stored with a different route \(a case is never edited\)/,
      'line 23': /channel: Invalid option/,
      'line 24': /case T-BADCASE is not valid \(its case line 23 is bad\)/,
      'line 25': /data\.approvedBy: S998 is not staff/,
      'line 26': /data\.filedTo: S997 is not staff/,
      'line 27': /itemCode.*route.*channel.*receivedAt.*applicant/s,
    };
    expect(Object.keys(byLine).sort(), JSON.stringify(byLine, null, 1)).toEqual(Object.keys(expected).sort());
    for (const [path, re] of Object.entries(expected)) expect(byLine[path], path).toMatch(re);
    expect(problem.detail).toBe(`${Object.keys(expected).length} bad lines; nothing was stored`);
    expect(await counts()).toEqual(before);
  });

  it('refuses text the database cannot store (NUL, half a surrogate pair) as bad lines', async () => {
    const lines = [
      JSON.stringify(caseLine('T-TEXT')),
      JSON.stringify(ev('T-TEXT', 1, '2026-03-02', 'receipt', STAFF.accept, { receiptNo: 'R1' })).replace(
        'R1',
        'R\\u0000',
      ),
      JSON.stringify(
        ev('T-TEXT', 2, '2026-03-02', 'review', STAFF.review, { opinion: 'grant', note: 'x' }),
      ).replace('"x"', '"\\ud800"'),
      // Fine: an emoji (a whole surrogate pair) and the six characters \u0000 as text.
      JSON.stringify(caseLine('T-TEXT2')),
      JSON.stringify(
        ev('T-TEXT2', 1, '2026-03-02', 'receipt', STAFF.accept, { receiptNo: '😀 \\u0000 literal' }),
      ),
    ];
    const res = await post(`${lines.join('\n')}\n`);
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).errors).toEqual([
      { path: 'line 2', message: 'contains a NUL character (\\u0000)' },
      { path: 'line 3', message: 'contains half of a UTF-16 surrogate pair' },
    ]);
  });

  it('lists the first 1,000 bad lines and gives the total', async () => {
    const lines = [
      caseLine('T-MANY'),
      ...Array.from({ length: 1500 }, (_, i) =>
        ev('T-MANY', i + 1, '2026-03-02', 'receipt', 'S999', { receiptNo: `R${i}` }),
      ),
    ];
    const res = await post(ndjson(lines));
    expect(res.status).toBe(400);
    const problem: any = await res.json();
    expect(problem.errors).toHaveLength(1000);
    expect(problem.errors[0]).toEqual({ path: 'line 2', message: 'actor S999 is not staff' });
    expect(problem.errors.at(-1).path).toBe('line 1001');
    expect(problem.detail).toBe('1500 bad lines (the first 1000 are listed); nothing was stored');
  });

  it('honours an Idempotency-Key: the same body replays the answer, another body is a conflict', async () => {
    const body = ndjson(full('T-KEY'));
    const first = await post(body, { 'idempotency-key': 'batch-42' });
    expect(first.status).toBe(200);
    const answer: any = await first.json();
    const before = await counts();
    const again = await post(body, { 'idempotency-key': 'batch-42' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await again.json()) as any).toEqual({ ...answer, replayed: true });
    expect(await counts()).toEqual(before);
    const other = await post(ndjson(full('T-KEY2')), { 'idempotency-key': 'batch-42' });
    expect(other.status).toBe(409);
    expect(await counts()).toEqual(before);
  });

  it('writes one audit entry per import that stored something', async () => {
    const before = await counts();
    expect((await post(ndjson(full('T-AUDIT')))).status).toBe(200);
    const after = await counts();
    expect(after.audit - before.audit).toBeGreaterThanOrEqual(1);
    const [entry] = await queryRows<any>(
      t.db,
      sql`select * from audit_log where action = 'cases.import' order by id desc limit 1`,
    );
    expect(entry.actor).toMatch(/^token:/);
    expect(entry.entity).toBe('case_import');
  });

  it('refuses form bodies and an empty body stores nothing', async () => {
    const form = await t.app.request('/api/cases/events', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(415);
    const empty = await post('');
    expect(empty.status).toBe(200);
    expect((await empty.json()) as any).toMatchObject({ lines: 0, importId: null });
  });

  it('stores the same across many pages (decided while the previous page is written)', async () => {
    const { ingestCaseRecords } = await import('../../src/cases/ingest.ts');
    const cases = Array.from({ length: 23 }, (_, i) => full(`T-PAGE-${String(i).padStart(2, '0')}`));
    // First every fourth case whole and the rest's first three events, so that the second
    // ingestion's pages mix stored events, new ones, and cases sent again unchanged.
    const first = cases.flatMap((c, i) =>
      i % 4 === 0 ? c : c.filter((l) => l.type === 'case' || (l.seq as number) <= 3),
    );
    const opts = { actor: 'test', source: 'test', timeZone: 'Asia/Shanghai', pageSize: 3 };
    expect((await ingestCaseRecords(t.database, first, opts)).events.new).toBe(6 * 7 + 17 * 3);
    const result = await ingestCaseRecords(t.database, cases.flat(), opts);
    expect(result.events).toEqual({ new: 17 * 4, unchanged: 6 * 7 + 17 * 3 });
    const [row] = await queryRows<any>(
      t.db,
      sql`select count(*)::int as events, count(distinct case_no)::int as cases,
        count(*) filter (where allowed is null)::int as undecided
        from case_events where case_no like 'T-PAGE-%'`,
    );
    expect(row).toEqual({ events: 23 * 7, cases: 23, undecided: 0 });
    const states = await queryRows<any>(
      t.db,
      sql`select state, last_seq, count(*)::int as n from case_state where case_no like 'T-PAGE-%' group by 1, 2`,
    );
    expect(states).toEqual([{ state: 'announced', last_seq: 7, n: 23 }]);
  });

  it('keeps the case records append-only', async () => {
    const refused = async (q: ReturnType<typeof sql>) => {
      const err: any = await t.db.execute(q).then(
        () => null,
        (e) => e,
      );
      return `${err?.message} ${err?.cause?.message ?? ''}`;
    };
    expect(await refused(sql`update case_events set actor = 'S001' where case_no = 'T-1'`)).toMatch(
      /append-only/,
    );
    expect(await refused(sql`delete from cases where case_no = 'T-1'`)).toMatch(/append-only/);
  });
});
