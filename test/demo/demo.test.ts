import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogItems, departments, SOURCE_TOTAL_REDUCTION } from '../../src/demo/catalog.ts';
import { DEMO_PASSWORD, isEmpty, loadDemo } from '../../src/demo/index.ts';
import { demoOrg } from '../../src/demo/org.ts';
import { exportOrg } from '../../src/org/service.ts';
import { testApp } from '../helpers.ts';

describe('the demo bureau', () => {
  it('is shaped like the source: 14 units, 54 items, 46 at the window, 36 online, 935 days saved over 49', () => {
    expect(departments.filter((d) => d.kind === 'section')).toHaveLength(10);
    expect(departments.filter((d) => d.kind === 'institution')).toHaveLength(4);
    const items = catalogItems();
    expect(items).toHaveLength(54);
    expect(new Set(items.map((i) => i.code)).size).toBe(54);
    expect(items.filter((i) => i.atWindow)).toHaveLength(46);
    expect(items.filter((i) => i.online && i.atWindow)).toHaveLength(36);
    const withLimit = items.filter((i) => i.statutoryDays > 0);
    expect(withLimit).toHaveLength(49);
    expect(withLimit.reduce((s, i) => s + i.statutoryDays - i.committedDays, 0)).toBe(SOURCE_TOTAL_REDUCTION);
    for (const i of items) expect(i.committedDays).toBeLessThanOrEqual(i.statutoryDays);
    expect(
      items
        .filter((i) => !i.specialSeal)
        .map((i) => i.name)
        .sort(),
    ).toEqual(
      [
        '初级岗位证书核发',
        '建筑工程施工许可证核发',
        '建筑施工企业安全生产许可证核发',
        '监理员岗位证书核发',
      ].sort(),
    );
  });

  it('is deterministic for a seed and different across seeds', () => {
    expect(demoOrg(7)).toEqual(demoOrg(7));
    expect(demoOrg(7).staff).not.toEqual(demoOrg(8).staff);
  });

  it('gives every clerk 1-3 competencies and every post an A and a B', () => {
    const org = demoOrg(1);
    expect(org.staff).toHaveLength(40);
    for (const s of org.staff!.filter((x) => x.department === 'D-APPROVAL')) {
      expect(s.competencies!.length).toBeGreaterThanOrEqual(1);
      expect(s.competencies!.length).toBeLessThanOrEqual(3);
    }
    for (const p of org.posts!) {
      const current = org.assignments!.filter((a) => a.post === p.code && !a.to);
      expect(current.map((a) => a.role).sort()).toEqual(['A', 'B']);
    }
  });

  describe('loaded', () => {
    let t: Awaited<ReturnType<typeof testApp>>;
    beforeAll(async () => {
      t = await testApp();
    });
    afterAll(() => t.close());

    it('loads into an empty database with one account per role', async () => {
      expect(await isEmpty(t.db)).toBe(true);
      const demo = await loadDemo(t.db, { today: '2026-03-02' });
      expect(await isEmpty(t.db)).toBe(false);
      expect(demo.accounts.map((a) => a.role).sort()).toEqual([
        'admin',
        'clerk',
        'hr',
        'inspector',
        'leader',
      ]);
      const res = await t.app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'leader', password: DEMO_PASSWORD }),
      });
      expect(res.status).toBe(200);
      expect((await exportOrg(t.db)).items).toHaveLength(54);
    });
  });
});
