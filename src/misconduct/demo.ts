/**
 * A few matters for the demo bureau, one at each interesting stage, so every misconduct page has
 * something to show: a fresh public complaint, one under investigation, one awaiting the leader,
 * and one decided and notified (with its decision document). Uses the demo accounts `inspector`
 * and `leader` and the staff of the demo organisation; run after `loadDemo`. Idempotent: does
 * nothing when matters exist.
 *
 * @example
 * await loadDemo(db, { today });
 * const demo = await loadDemoMatters(db, { today, publicUrl });
 * demo.trackingCode // the public complaint's code, to try the status page
 */
import { count } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { demoRoles } from '../demo/org.ts';
import type { Ctx, Who } from './common.ts';
import { fileComplaint, registerMatter } from './intake.ts';
import { misconductPolicy } from './policy.ts';
import { misconductMatters } from './schema.ts';
import {
  assignMatter,
  decideMatter,
  notifyMatter,
  proposeMatter,
  startInvestigation,
  updateMatter,
} from './workflow.ts';

const inspector: Who = { kind: 'user', name: 'inspector', role: 'inspector', staffNo: demoRoles.inspector };
const leader: Who = { kind: 'user', name: 'leader', role: 'leader', staffNo: demoRoles.leader };

/** Staff of the demo organisation (seed 1) the matters concern. */
const CONCERNED = ['S026', 'S009', 'S010'];

export async function loadDemoMatters(db: Db, opts: { today: string; publicUrl?: string }) {
  const [{ n }] = await db.select({ n: count() }).from(misconductMatters);
  if (n > 0) return { created: 0, trackingCode: null as string | null };
  const policy = misconductPolicy();
  const as = (who: Who): Ctx => ({
    who,
    today: opts.today,
    policy,
    publicUrl: opts.publicUrl ?? 'http://127.0.0.1:3000',
  });

  const fresh = await fileComplaint(
    db,
    {
      kind: 'complaint',
      facts: '在综合受理窗口办理施工许可时，工作人员态度生硬，要求我多次往返补交材料。',
      concerned: '综合受理岗一',
      anonymous: false,
      name: '李先生',
      phone: '13800000000',
    },
    { today: opts.today, policy },
  );

  const investigating = await registerMatter(
    db,
    {
      source: 'red_card',
      sourceRef: 'demo:red-card',
      staff: [CONCERNED[1]],
      cases: [],
      faultType: 'red-card-unresolved',
      facts: '红牌警示：案件逾期后跟踪期内仍未办结。',
    },
    'demo',
    { today: opts.today, policy },
  );
  await assignMatter(db, as(inspector), investigating.id, { inspector: 'inspector' });
  await startInvestigation(db, as(inspector), investigating.id);

  const proposed = await registerMatter(
    db,
    {
      source: 'authority',
      sourceRef: 'demo:authority',
      staff: [CONCERNED[2]],
      cases: [],
      faultType: 'unauthorised-action',
      facts: '超越权限：审批岗在A角在岗时代为审批。',
    },
    'demo',
    { today: opts.today, policy },
  );
  await assignMatter(db, as(inspector), proposed.id, { inspector: 'inspector' });
  await startInvestigation(db, as(inspector), proposed.id);
  await proposeMatter(db, as(inspector), proposed.id, {
    faultType: 'unauthorised-action',
    factors: ['cooperation'],
    summary: '经核查，该同志误以为A角请假，主动说明情况。',
  });

  const decided = await registerMatter(
    db,
    {
      source: 'verification',
      sourceRef: 'demo:verification',
      staff: [CONCERNED[0]],
      cases: [],
      facts: '核查发现：补正材料分两次告知申请人。',
    },
    'demo',
    { today: opts.today, policy },
  );
  await assignMatter(db, as(inspector), decided.id, { inspector: 'inspector' });
  await startInvestigation(db, as(inspector), decided.id);
  await updateMatter(db, as(inspector), decided.id, { faultType: 'notice-twice' });
  await proposeMatter(db, as(inspector), decided.id, {
    faultType: 'notice-twice',
    severity: 'serious',
    summary: '两次发出补正通知，违反一次性告知制。',
  });
  await decideMatter(db, as(leader), decided.id, { note: '同意。' });
  await notifyMatter(db, as(inspector), decided.id, {});
  return { created: 4, trackingCode: fresh.trackingCode };
}
