import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrg } from '../../src/demo/org.ts';
import { assignments, staff } from '../../src/org/schema.ts';
import { assignmentHistory, exportOrg, importOrg } from '../../src/org/service.ts';
import { auditLog } from '../../src/platform/schema.ts';
import { jsonHeaders, loginAs, testApp } from '../helpers.ts';

const small = () => ({
  version: 1,
  bureau: { code: 'QZJS', name: '泉州市建设局', timeZone: 'Asia/Shanghai', head: 'S010' },
  departments: [
    { code: 'D-APPROVAL', name: '审核审批科', kind: 'section' },
    { code: 'D-QUALITY', name: '质量安全监督站', kind: 'institution' },
  ],
  windows: [{ code: 'W1', name: '建设局综合窗口', department: 'D-APPROVAL' }],
  posts: [
    { code: 'P-ACCEPT-1', name: '受理岗', window: 'W1', key: false },
    { code: 'P-APPROVE-1', name: '审批岗', window: 'W1', key: true, businesses: ['construction-permit'] },
  ],
  staff: [
    {
      no: 'S001',
      name: '陈明',
      department: 'D-APPROVAL',
      hiredOn: '2015-07-01',
      competencies: ['construction-permit'],
    },
    {
      no: 'S002',
      name: '林华',
      department: 'D-APPROVAL',
      competencies: ['construction-permit'],
      conflicts: [{ kind: 'relative', item: 'JZ-001', note: '配偶任职于申请企业' }],
    },
    { no: 'S010', name: '黄局长', department: 'D-APPROVAL' },
  ],
  assignments: [
    { staff: 'S001', post: 'P-APPROVE-1', role: 'A', from: '2021-03-01' },
    { staff: 'S002', post: 'P-APPROVE-1', role: 'B', from: '2023-01-01', to: null },
    { staff: 'S002', post: 'P-ACCEPT-1', role: 'A', from: '2020-01-01', to: '2022-12-31' },
  ],
  absences: [{ staff: 'S001', from: '2026-03-02', to: '2026-03-04', reason: 'leave' }],
  items: [
    {
      code: 'JZ-001',
      name: '建筑工程施工许可证核发',
      business: 'construction-permit',
      kind: 'committed',
      statutoryDays: 15,
      committedDays: 3,
      fastTrackDays: 1,
      online: true,
      specialSeal: false,
      department: 'D-APPROVAL',
      materials: [
        { code: 'M1', name: '申请表', primary: true },
        { code: 'M3', name: '监理合同', primary: false },
      ],
    },
  ],
});

describe('org import and export', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('round-trips: the export loads again unchanged and equals the input', async () => {
    const first = await importOrg(t.db, small(), { actor: 'test', today: '2026-03-01' });
    expect(first.staff.created).toBe(3);
    const exported = await exportOrg(t.db);
    expect(exported.staff?.find((s) => s.no === 'S002')?.conflicts).toEqual([
      { kind: 'relative', item: 'JZ-001', note: '配偶任职于申请企业' },
    ]);
    expect(exported.items?.[0]).toMatchObject({
      code: 'JZ-001',
      statutoryDays: 15,
      committedDays: 3,
      specialSeal: false,
    });
    const auditBefore = (await t.db.select().from(auditLog)).length;
    const again = await importOrg(t.db, exported, { actor: 'test', today: '2026-03-01' });
    for (const counts of Object.values(again)) {
      expect(counts.created + counts.updated + counts.deactivated).toBe(0);
    }
    expect((await t.db.select().from(auditLog)).length).toBe(auditBefore);
    expect(await exportOrg(t.db)).toEqual(exported);
  });

  it('the demo bureau round-trips through a second, empty database', async () => {
    const other = await testApp();
    try {
      await importOrg(other.db, demoOrg(1), { actor: 'test', today: '2026-03-01' });
      const a = await exportOrg(other.db);
      await importOrg(t.db, a, { actor: 'test', today: '2026-03-01' });
      // the small org's records left the file: inactive, not deleted
      expect(await exportOrg(t.db)).toEqual(a);
      const [s001] = await t.db.select().from(staff).where(eq(staff.no, 'S001'));
      expect(s001.name).toBe(a.staff!.find((s) => s.no === 'S001')!.name);
    } finally {
      await other.close();
    }
  });
});

describe('history and deactivation', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp();
    await importOrg(t.db, small(), { actor: 'test', today: '2026-03-01' });
  });
  afterAll(() => t.close());

  it('marks what leaves a list inactive from that day and keeps it', async () => {
    const doc = small();
    doc.staff = doc.staff.filter((s) => s.no !== 'S002');
    doc.assignments = doc.assignments.filter((a) => a.staff !== 'S002');
    delete (doc.staff[1] as any).conflicts;
    const result = await importOrg(t.db, doc, { actor: 'test', today: '2026-04-01' });
    expect(result.staff.deactivated).toBe(1);
    expect(result.assignments.deactivated).toBe(2);
    const [s002] = await t.db.select().from(staff).where(eq(staff.no, 'S002'));
    expect(s002).toMatchObject({ active: false, inactiveFrom: '2026-04-01' });
    const hist = await assignmentHistory(t.db, 'S002');
    expect(hist.map((a) => [a.post, a.effectiveTo])).toEqual([
      ['P-ACCEPT-1', '2022-12-31'],
      ['P-APPROVE-1', '2026-03-31'],
    ]);
    expect((await exportOrg(t.db)).staff?.map((s) => s.no)).toEqual(['S001', 'S010']);
  });

  it('reactivates a record that comes back, and updates changed fields', async () => {
    const doc = small();
    doc.items[0].committedDays = 2;
    const result = await importOrg(t.db, doc, { actor: 'test', today: '2026-05-01' });
    expect(result.staff).toMatchObject({ updated: 1, created: 0 });
    expect(result.items.updated).toBe(1);
    const rows = await t.db.select().from(assignments).where(eq(assignments.staffNo, 'S002'));
    expect(rows.every((r) => r.active)).toBe(true);
  });
});

describe('bad org documents are refused whole, every problem named', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    t = await testApp();
    admin = await loginAs(t, 'admin');
  });
  afterAll(() => t.close());

  async function post(doc: unknown) {
    const res = await t.app.request('/api/org', {
      method: 'POST',
      headers: { ...admin, ...jsonHeaders },
      body: JSON.stringify(doc),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  const cases: [string, (d: any) => void, { path: string; message: RegExp }[]][] = [
    [
      'unknown references',
      (d) => {
        d.windows[0].department = 'D-NOPE';
        d.assignments[0].post = 'P-NOPE';
        d.bureau.head = 'S999';
      },
      [
        { path: 'bureau.head', message: /unknown staff S999/ },
        { path: 'windows[0].department', message: /unknown department D-NOPE/ },
        { path: 'assignments[0].post', message: /unknown post P-NOPE/ },
      ],
    ],
    [
      'duplicate codes',
      (d) => {
        d.staff.push({ ...d.staff[0] });
        d.items[0].materials.push({ code: 'M1', name: 'x', primary: true });
      },
      [
        { path: 'staff[3]', message: /duplicate no S001 \(also at staff\[0\]\)/ },
        { path: 'items[0].materials[2]', message: /duplicate material M1/ },
      ],
    ],
    [
      'two A holders of one post on one day',
      (d) => {
        d.assignments.push({ staff: 'S010', post: 'P-APPROVE-1', role: 'A', from: '2025-06-01' });
      },
      [{ path: 'assignments[3]', message: /P-APPROVE-1 has two A holders on 2025-06-01: S001 and S010/ }],
    ],
    [
      'a B with no A',
      (d) => {
        d.assignments.push({ staff: 'S010', post: 'P-ACCEPT-1', role: 'B', from: '2024-01-01' });
      },
      [{ path: 'assignments[3]', message: /B S010 on post P-ACCEPT-1 has no A holder/ }],
    ],
    [
      'reversed dates',
      (d) => {
        d.assignments[2].to = '2019-01-01';
        d.absences[0].to = '2026-03-01';
      },
      [
        { path: 'assignments[2].to', message: /ends \(2019-01-01\) before it starts \(2020-01-01\)/ },
        { path: 'absences[0].to', message: /ends \(2026-03-01\) before it starts/ },
      ],
    ],
    [
      'unknown enum values and bad fields',
      (d) => {
        d.departments[0].kind = 'bureau';
        d.items[0].kind = 'slow';
        d.assignments[0].role = 'C';
        d.staff[0].hiredOn = '2015-13-01';
        d.items[0].surprise = true;
      },
      [
        { path: 'departments[0].kind', message: /section|institution/ },
        { path: 'items[0].kind', message: /instant|committed|joint/ },
        { path: 'assignments[0].role', message: /A|B/ },
        { path: 'staff[0].hiredOn', message: /date/ },
        { path: 'items[0]', message: /surprise/ },
      ],
    ],
  ];

  for (const [name, mutate, expected] of cases) {
    it(name, async () => {
      const doc = small();
      mutate(doc);
      const { status, body } = await post(doc);
      expect(status).toBe(400);
      expect(body.code).toBe('VALIDATION_FAILED');
      for (const e of expected) {
        expect(body.errors, JSON.stringify(body.errors)).toContainEqual({
          path: e.path,
          message: expect.stringMatching(e.message),
        });
      }
      expect(await exportOrg(t.db)).toMatchObject({ departments: [], staff: [], items: [] });
      expect(await t.db.select().from(auditLog).where(eq(auditLog.entity, 'staff'))).toEqual([]);
    });
  }

  it('a good document then loads', async () => {
    const { status, body } = await post(small());
    expect(status).toBe(200);
    expect(body.staff.created).toBe(3);
  });
});
