import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { importOrg } from '../../src/org/service.ts';
import { appendAudit, verifyAuditChain } from '../../src/platform/audit.ts';
import { loginAs, testApp } from '../helpers.ts';

describe('audit log', () => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp();
    await importOrg(
      t.db,
      {
        version: 1,
        departments: [
          { code: 'D1', name: '审核审批科', kind: 'section' },
          { code: 'D2', name: '办公室', kind: 'section' },
        ],
      },
      { actor: 'test', today: '2026-03-01' },
    );
    await t.db.transaction((tx) =>
      appendAudit(tx, { actor: 'test', action: 'x', entity: 'thing', entityId: '1', content: { a: 1 } }),
    );
  });
  afterAll(() => t.close());

  it('writes one chained entry per change, in the same transaction', async () => {
    const result = await verifyAuditChain(t.db);
    expect(result).toEqual({ ok: true, entries: 3 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(t.db.execute(sql`update audit_log set actor = 'x'`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    await expect(t.db.execute(sql`truncate audit_log`)).rejects.toThrow();
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('a failed transaction leaves no entry', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await appendAudit(tx, { actor: 'test', action: 'y', entity: 'thing', entityId: '2', content: {} });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await verifyAuditChain(t.db)).entries).toBe(3);
  });

  it("detects an entry changed behind the application's back, and names it", async () => {
    const [second] = await queryRows<{ id: number }>(
      t.db,
      sql`select id from audit_log order by id limit 1 offset 1`,
    );
    // A superuser can switch triggers off; the chain still tells.
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_log disable trigger audit_log_no_update`);
      await tx.execute(sql`update audit_log set entity_id = 'D9' where id = ${second.id}`);
      await tx.execute(sql`alter table audit_log enable trigger audit_log_no_update`);
    });
    const result = await verifyAuditChain(t.db);
    expect(result.ok).toBe(false);
    expect(result.firstBad).toEqual({ id: Number(second.id), reason: 'content does not match its hash' });
    const inspector = await loginAs(t, 'inspector');
    const res = await t.app.request('/api/audit/verify', { headers: inspector });
    expect(await res.json()).toMatchObject({ ok: false, firstBad: { id: Number(second.id) } });
  });
});
