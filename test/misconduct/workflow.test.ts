/**
 * A complaint from filing to closure through the API: intake with a tracking code, assignment,
 * investigation with notes and evidence, a graded proposal with a departure, a four-eyes decision
 * with documents, notification, an appeal that changes a level, closure and erasure.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBarredFromMerit } from '../../src/misconduct/effects.ts';
import { misconductComplainants } from '../../src/misconduct/schema.ts';
import { auditLog } from '../../src/platform/schema.ts';
import { expectStatus, get, type MisconductTestApp, misconductApp, post, S, setToday } from './support.ts';

let t: MisconductTestApp;
beforeAll(async () => {
  t = await misconductApp();
});
afterAll(() => t?.close());

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(100, 1),
]);

async function upload(headers: Record<string, string>, matter: number, bytes: Uint8Array, name: string) {
  const form = new FormData();
  form.set('matter', String(matter));
  form.set('file', new File([bytes], name, { type: 'application/pdf' }));
  const res = await t.app.request('/api/misconduct/evidence', { method: 'POST', headers, body: form });
  return { status: res.status, json: (await res.json()) as any };
}

describe('complaint to decision', () => {
  let id: number;
  let code: string;

  it('files a complaint and gives a tracking code shown once, stored only as a hash', async () => {
    const r = await post(
      t,
      '/api/complaints',
      {},
      {
        kind: 'complaint',
        facts: '3月1日在综合窗口办理施工许可，工作人员态度生硬，多次推诿。',
        concerned: '综合受理岗一',
        caseNo: 'QZJS-2026-000123',
        anonymous: false,
        name: '李先生',
        phone: '13800000000',
      },
    );
    expectStatus(r, 201);
    expect(r.json.trackingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    id = r.json.reference;
    code = r.json.trackingCode;
    const raw = JSON.stringify(await t.db.execute('select * from misconduct_matters' as any));
    expect(raw).not.toContain(code);
    expect(raw).not.toContain(code.replaceAll('-', ''));
  });

  it('lets the complainant follow it by code, typed loosely', async () => {
    const loose = code.toLowerCase().replaceAll('-', ' ').replaceAll('0', 'o');
    const r = await post(t, '/api/complaints/status', {}, { code: loose });
    expectStatus(r, 200);
    expect(r.json).toMatchObject({ reference: id, status: 'received', kind: 'complaint', reply: null });
    expect(JSON.stringify(r.json)).not.toMatch(/S026|李先生/);
    expectStatus(await post(t, '/api/complaints/status', {}, { code: 'ABCD-EFGH-JKMN-PQRS' }), 404);
    expectStatus(await post(t, '/api/complaints/status', {}, { code: 'nonsense' }), 404);
  });

  it('shows the matter to inspectors without the complainant', async () => {
    const r = await get(t, `/api/misconduct/matters/${id}`, t.as.inspector);
    expectStatus(r, 200);
    expect(r.json.view).toBe('full');
    expect(r.json.matter).toMatchObject({
      state: 'registered',
      source: 'public',
      light: 'green',
      dueOn: '2026-03-05',
    });
    expect(r.json.complainant).toEqual({
      present: true,
      anonymous: false,
      erased: false,
      visibleToYou: false,
    });
    expect(JSON.stringify(r.json)).not.toContain('13800000000');
    expectStatus(await get(t, `/api/misconduct/matters/${id}/complainant`, t.as.inspector), 403);
  });

  it('assigns it to an inspector, who starts; nobody else may start', async () => {
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/assign`, t.as.inspector2, { inspector: 'nobody' }),
      400,
    );
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/assign`, t.as.inspector2, { inspector: 'lead-zhang' }),
      400,
    );
    const a = await post(t, `/api/misconduct/matters/${id}/assign`, t.as.inspector2, {
      inspector: 'insp-wang',
    });
    expectStatus(a, 200);
    expect(a.json.state).toBe('assigned');
    expectStatus(await post(t, `/api/misconduct/matters/${id}/start`, t.as.inspector2), 403);
    const s = await post(t, `/api/misconduct/matters/${id}/start`, t.as.inspector);
    expectStatus(s, 200);
    expect(s.json.state).toBe('investigating');
  });

  it('shows the complainant to the assigned inspector only, auditing the read', async () => {
    const r = await get(t, `/api/misconduct/matters/${id}/complainant`, t.as.inspector);
    expectStatus(r, 200);
    expect(r.json).toMatchObject({ anonymous: false, name: '李先生', phone: '13800000000' });
    expectStatus(await get(t, `/api/misconduct/matters/${id}/complainant`, t.as.inspector2), 403);
    expectStatus(await get(t, `/api/misconduct/matters/${id}/complainant`, t.as.leader), 403);
    const reads = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'misconduct.complainant.read'));
    expect(reads.map((a) => a.actor)).toEqual(['user:insp-wang']);
  });

  it('records the people concerned, notes and evidence (checked by content and size)', async () => {
    const d = await post(t, `/api/misconduct/matters/${id}/details`, t.as.inspector, {
      faultType: 'poor-service',
      persons: [
        { staff: S.clerk, responsibility: 'handler' },
        { staff: S.clerk2, responsibility: 'reviewer' },
      ],
    });
    expectStatus(d, 200);
    const bad = await post(t, `/api/misconduct/matters/${id}/details`, t.as.inspector, {
      faultType: 'nope',
      persons: [{ staff: 'S999' }, { staff: S.clerk }, { staff: S.clerk }],
    });
    expectStatus(bad, 400);
    expect(bad.json.errors.map((e: any) => e.path)).toEqual([
      'faultType',
      'persons[0].staff',
      'persons[2].staff',
    ]);
    const conflict = await post(t, `/api/misconduct/matters/${id}/details`, t.as.inspector, {
      persons: [{ staff: S.inspector }],
    });
    expectStatus(conflict, 409);
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/notes`, t.as.inspector, {
        text: '调取窗口监控录像，核实情况属实。',
      }),
      200,
    );
    expectStatus(await post(t, `/api/misconduct/matters/${id}/notes`, t.as.inspector2, { text: 'x' }), 403);

    const ok = await upload(t.as.inspector, id, png, 'photo.pdf');
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ mediaType: 'image/png', size: png.length, fileName: 'photo.pdf' });
    const fake = await upload(t.as.inspector, id, Buffer.from('MZ\x90\x00 not a pdf at all'), 'evil.pdf');
    expect(fake.status).toBe(415);
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(10 * 1024 * 1024, 0x20)]);
    expect((await upload(t.as.inspector, id, big, 'big.pdf')).status).toBe(413);
    expect((await upload(t.as.inspector2, id, png, 'x.png')).status).toBe(403);
    const file = await get(t, `/api/misconduct/evidence/${ok.json.id}`, t.as.leader);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(file.bytes!).equals(png)).toBe(true);
  });

  it('previews the grading line by line and refuses an unexplained departure', async () => {
    const body = {
      faultType: 'poor-service',
      severity: 'serious',
      factors: ['intent'],
      summary: '经查属实。',
    };
    const p = await post(t, `/api/misconduct/matters/${id}/grade`, t.as.inspector, body);
    expectStatus(p, 200);
    const [handler, reviewer] = p.json.persons;
    expect(handler).toMatchObject({ staff: S.clerk, computed: 3, proposed: 3 });
    expect(handler.lines.map((l: any) => [l.kind, l.delta])).toEqual([
      ['base', 2],
      ['factor', 1],
    ]);
    expect(reviewer).toMatchObject({ staff: S.clerk2, computed: 2 });
    expect(reviewer.lines.at(-1)).toMatchObject({
      kind: 'responsibility',
      text: '责任划分：主要领导责任',
      delta: -1,
    });

    const unexplained = await post(t, `/api/misconduct/matters/${id}/propose`, t.as.inspector, {
      ...body,
      persons: [
        { staff: S.clerk, level: 4 },
        { staff: S.clerk2, responsibility: 'reviewer' },
      ],
    });
    expectStatus(unexplained, 400);
    expect(unexplained.json.errors).toEqual([
      {
        path: 'persons[0].departureReason',
        message: 'the level 4 departs from the computed 3: give the reason in writing',
      },
    ]);
  });

  it('proposes, recording the departure and its reason', async () => {
    const r = await post(t, `/api/misconduct/matters/${id}/propose`, t.as.inspector, {
      faultType: 'poor-service',
      severity: 'serious',
      factors: ['intent'],
      summary: '经调取监控核实，该同志态度生硬、推诿属实。',
      persons: [
        { staff: S.clerk, level: 4, departureReason: '同期另有两起同类投诉，影响恶劣。' },
        { staff: S.clerk2, responsibility: 'reviewer' },
      ],
    });
    expectStatus(r, 200);
    expect(r.json.state).toBe('proposed');
    expect(r.json.persons[0]).toMatchObject({
      computed: 3,
      proposed: 4,
      departureReason: '同期另有两起同类投诉，影响恶劣。',
    });
    const d = await get(t, `/api/misconduct/matters/${id}`, t.as.leader);
    expect(d.json.matter.proposal).toMatchObject({
      proposedBy: 'insp-wang',
      faultType: 'poor-service',
      severity: 'serious',
    });
    expect(d.json.mayDecide).toBe(true);
  });

  it('puts it in the decision queue; an inspector cannot decide', async () => {
    const q = await get(t, '/api/misconduct/queue', t.as.leader);
    expectStatus(q, 200);
    expect(q.json.find((m: any) => m.id === id)).toMatchObject({
      state: 'proposed',
      mayDecide: true,
      proposedBy: 'insp-wang',
    });
    expectStatus(await post(t, `/api/misconduct/matters/${id}/decide`, t.as.inspector, {}), 403);
  });

  it('a leader decides, departing for one person with a reason; documents are issued', async () => {
    setToday('2026-03-04');
    const noReason = await post(t, `/api/misconduct/matters/${id}/decide`, t.as.leader, {
      persons: [{ staff: S.clerk2, level: 1 }],
    });
    expectStatus(noReason, 400);
    const r = await post(t, `/api/misconduct/matters/${id}/decide`, t.as.leader, {
      note: '同意调查意见。',
      persons: [{ staff: S.clerk2, level: 1, reason: '审核环节已及时提醒，情节较轻。' }],
    });
    expectStatus(r, 200);
    expect(r.json.persons).toEqual([
      { staffNo: S.clerk, level: 4, exempt: false },
      { staffNo: S.clerk2, level: 1, exempt: false },
    ]);
    expect(r.json.documents.map((d: any) => d.number)).toEqual(['泉建纪〔2026〕1号', '泉建纪〔2026〕2号']);
    const d = await get(t, `/api/misconduct/matters/${id}`, t.as.leader);
    expect(d.json.matter).toMatchObject({
      state: 'decided',
      decidedBy: 'lead-zhang',
      decidedOn: '2026-03-04',
    });
    expect(d.json.persons.find((p: any) => p.staff === S.clerk2)).toMatchObject({
      proposed: 2,
      decided: 1,
      decisionReason: '审核环节已及时提醒，情节较轻。',
    });
    // The deciding leader now sees the complainant; the other leader does not.
    expectStatus(await get(t, `/api/misconduct/matters/${id}/complainant`, t.as.leader), 200);
    expectStatus(await get(t, `/api/misconduct/matters/${id}/complainant`, t.as.leader2), 403);
  });

  it('serves the decision PDF, which the public verify page finds authentic', async () => {
    const pdf = await get(t, `/api/misconduct/matters/${id}/documents/${S.clerk}`, t.as.inspector);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(pdf.bytes!.slice(0, 5)).toString()).toBe('%PDF-');
    // Documents are numbered in staff-number order: S009 got 1号, S026 2号.
    const number = encodeURIComponent('泉建纪〔2026〕2号');
    const res = await t.app.request(`/api/verify/${number}`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: pdf.bytes!,
    });
    expect(await res.json()).toMatchObject({ exists: true, authentic: true });
    const other = await t.app.request(`/api/verify/${encodeURIComponent('泉建纪〔2026〕1号')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: pdf.bytes!,
    });
    expect(await other.json()).toMatchObject({ exists: true, authentic: false });
  });

  it('bars both from 评优评先 for the year', async () => {
    expect(await isBarredFromMerit(t.db, S.clerk, 2026)).toBe(true);
    expect(await isBarredFromMerit(t.db, S.clerk2, 2026)).toBe(true);
    expect(await isBarredFromMerit(t.db, S.clerk, 2027)).toBe(false);
    expect(await isBarredFromMerit(t.db, S.other, 2026)).toBe(false);
  });

  it('records the notification and starts the appeal period; the complainant sees the reply', async () => {
    setToday('2026-03-05');
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/notify`, t.as.inspector, { notifiedOn: '2026-03-03' }),
      400,
    );
    const r = await post(t, `/api/misconduct/matters/${id}/notify`, t.as.inspector, {
      publicReply: '您反映的问题经查属实，我局已依规处理。感谢您的监督。',
    });
    expectStatus(r, 200);
    expect(r.json).toMatchObject({ state: 'notified', notifiedOn: '2026-03-05', appealUntil: '2026-03-26' });
    const s = await post(t, '/api/complaints/status', {}, { code });
    expect(s.json).toMatchObject({
      status: 'handled',
      reply: '您反映的问题经查属实，我局已依规处理。感谢您的监督。',
    });
  });

  it('shows the clerk their own matter without the complainant or the other person', async () => {
    const r = await get(t, `/api/misconduct/matters/${id}`, t.as.clerk);
    expectStatus(r, 200);
    expect(r.json.view).toBe('own');
    expect(r.json.persons.map((p: any) => p.staff)).toEqual([S.clerk]);
    expect(r.json.persons[0]).toMatchObject({
      final: 4,
      finalName: '效能告诫',
      documentNumber: '泉建纪〔2026〕2号',
    });
    expect(r.json.mayAppeal).toBe(true);
    const text = JSON.stringify(r.json);
    expect(text).not.toContain('李先生');
    expect(text).not.toContain('13800000000');
    expect(text).not.toContain(S.clerk2);
    const mine = await get(t, '/api/misconduct/mine', t.as.clerk);
    expect(mine.json).toMatchObject({ staff: S.clerk, meritBarred: true });
    expect(mine.json.matters[0]).toMatchObject({ id, final: 4 });
    expectStatus(await get(t, `/api/misconduct/matters/${id}/documents/${S.clerk}`, t.as.clerk), 200);
    expectStatus(await get(t, `/api/misconduct/matters/${id}/documents/${S.clerk2}`, t.as.clerk), 403);
  });

  it('takes the appeal of the person concerned, not of anyone else', async () => {
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/appeal`, t.as.clerk2, {
        staff: S.clerk,
        grounds: '代为申诉',
      }),
      403,
    );
    const r = await post(t, `/api/misconduct/matters/${id}/appeal`, t.as.clerk, {
      staff: S.clerk,
      grounds: '另两起投诉与本人无关，处理过重。',
    });
    expectStatus(r, 200);
    expect(r.json.state).toBe('appealed');
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/appeal`, t.as.clerk, {
        staff: S.clerk,
        grounds: '再次申诉',
      }),
      409,
    );
  });

  it('the review is decided by another leader; the change ends and restarts effects, with a new document', async () => {
    setToday('2026-03-10');
    expectStatus(
      await post(t, `/api/misconduct/matters/${id}/appeal-decision`, t.as.leader, {
        staff: S.clerk,
        outcome: 'upheld',
        reason: 'x',
      }),
      403,
    );
    const r = await post(t, `/api/misconduct/matters/${id}/appeal-decision`, t.as.leader2, {
      staff: S.clerk,
      outcome: 'changed',
      level: 3,
      reason: '另两起投诉经核实与申诉人无关，按核定等级处理。',
    });
    expectStatus(r, 200);
    expect(r.json).toMatchObject({ state: 'notified', level: 3 });
    expect(r.json.documents[0].number).toBe('泉建纪〔2026〕3号');
    const v = await get(t, `/api/verify/${encodeURIComponent('泉建纪〔2026〕2号')}`, {});
    expect(v.json).toMatchObject({ exists: true, supersededBy: '泉建纪〔2026〕3号' });
    const hr = await get(t, `/api/misconduct/effects?staff=${S.clerk}`, t.as.hr);
    expectStatus(hr, 200);
    const bars = hr.json.filter((e: any) => e.kind === 'merit_bar');
    expect(bars.map((e: any) => [e.level, e.year, e.active, e.endedOn])).toEqual([
      [4, 2026, false, '2026-03-10'],
      [3, 2026, true, null],
    ]);
    expect(JSON.stringify(hr.json)).not.toMatch(/态度|李先生/);
  });

  it('closes only after the appeal period, then erases the complainant after the policy period', async () => {
    expectStatus(await post(t, `/api/misconduct/matters/${id}/close`, t.as.inspector), 409);
    setToday('2026-03-27');
    const c = await post(t, `/api/misconduct/matters/${id}/close`, t.as.inspector);
    expectStatus(c, 200);
    expect((await post(t, '/api/complaints/status', {}, { code })).json.status).toBe('closed');

    const { eraseExpiredComplainants } = await import('../../src/misconduct/privacy.ts');
    const { misconductPolicy } = await import('../../src/misconduct/policy.ts');
    const ctx = (today: string) => ({
      who: { kind: 'token' as const, name: 'erase-job', role: 'system' as const, staffNo: null },
      today,
      policy: misconductPolicy(),
    });
    expect(await eraseExpiredComplainants(t.db, ctx('2029-03-26'))).toEqual([]);
    expect(await eraseExpiredComplainants(t.db, ctx('2029-03-27'))).toEqual([id]);
    const [row] = await t.db
      .select()
      .from(misconductComplainants)
      .where(eq(misconductComplainants.matterId, id));
    expect(row).toMatchObject({ name: null, phone: null, email: null, anonymous: false });
    expect(row.erasedAt).toBeInstanceOf(Date);
    const erased = await t.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, 'misconduct.complainant.erase'));
    expect(erased.map((a) => a.entityId)).toEqual([String(id)]);
    expect(await eraseExpiredComplainants(t.db, ctx('2030-01-01'))).toEqual([]);
    const who = await get(t, `/api/misconduct/matters/${id}/complainant`, t.as.inspector);
    expect(who.json).toMatchObject({ name: null, erased: true });
  });

  it('keeps the transitions as a record nobody can rewrite', async () => {
    const refused = async (statement: string) => {
      try {
        await t.db.execute(statement as any);
      } catch (e: any) {
        return String(e.cause?.message ?? e.message);
      }
      return 'not refused';
    };
    expect(await refused('update misconduct_transitions set note = null')).toMatch(/append-only/);
    expect(await refused('delete from misconduct_transitions')).toMatch(/append-only/);
  });

  it('keeps every transition in order', async () => {
    const d = await get(t, `/api/misconduct/matters/${id}`, t.as.leader);
    expect(d.json.transitions.map((x: any) => x.toState)).toEqual([
      'registered',
      'assigned',
      'investigating',
      'proposed',
      'decided',
      'notified',
      'appealed',
      'notified',
      'closed',
    ]);
  });
});
