/**
 * Loads the demo bureau: its organisation and catalogue, and one account per role. `npm start`
 * does this on an empty database; the CLI only when asked (`neikong demo`).
 *
 * @example
 * const accounts = await loadDemo(db, { seed: 1, today: '2026-03-02' });
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { importOrg } from '../org/service.ts';
import { createUser } from '../platform/auth.ts';
import { users } from '../platform/schema.ts';
import { demoOrg, demoPosts, demoRoles } from './org.ts';

export const DEMO_PASSWORD = 'neikong-demo';

export interface DemoAccount {
  name: string;
  role: 'clerk' | 'inspector' | 'hr' | 'leader' | 'admin';
  staffNo: string | null;
}

export async function loadDemo(db: Db, opts: { seed?: number; today: string }) {
  const org = demoOrg(opts.seed ?? 1);
  await importOrg(db, org, { actor: 'demo', today: opts.today });
  const firstAccept = org.assignments!.find((a) => a.post === demoPosts[0].code && a.role === 'A')!;
  const accounts: DemoAccount[] = [
    { name: 'admin', role: 'admin', staffNo: null },
    { name: 'clerk', role: 'clerk', staffNo: firstAccept.staff },
    { name: 'inspector', role: 'inspector', staffNo: demoRoles.inspector },
    { name: 'hr', role: 'hr', staffNo: demoRoles.hr },
    { name: 'leader', role: 'leader', staffNo: demoRoles.leader },
  ];
  for (const a of accounts) {
    const [exists] = await db.select({ id: users.id }).from(users).where(eq(users.name, a.name));
    if (!exists) await createUser(db, { ...a, password: DEMO_PASSWORD }, 'demo');
  }
  return { org, accounts, password: DEMO_PASSWORD };
}

/** True when nothing has been loaded yet (no bureau and no users). */
export async function isEmpty(db: Db) {
  const [u] = await db.select({ id: users.id }).from(users).limit(1);
  const rows: any = await db.execute('select 1 from bureau limit 1' as any);
  const bureauRows = Array.isArray(rows) ? rows : rows.rows;
  return !u && bureauRows.length === 0;
}
