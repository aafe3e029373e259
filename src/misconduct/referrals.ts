/**
 * The referral job: misconduct comes after the case ledger (and verification) in the dependency
 * order, so it pulls what they record through their exported reads and registers a matter for
 * each: red cards (红牌) from `listAlerts`, and actions outside authority found at ingestion
 * (events whose authority decision was `allowed = false`). Registration is idempotent per source
 * reference (`alert:17`, `QZJS-2026-000123#4`), so the job may run as often as wanted.
 *
 * @example
 * await pullReferrals(db)                     // { red_card: { seen: 3, created: 1 }, authority: { seen: 2, created: 0 } }
 * await pullReferrals(db, { since: '2026-01-01' })
 */
import { casesWithEvents, listAlerts } from '../cases/index.ts';
import type { Db } from '../db/client.ts';
import { getBureau } from '../org/service.ts';
import { addDays } from '../platform/time.ts';
import { bureauToday, registerMatter } from './intake.ts';
import { type MisconductPolicy, misconductPolicy } from './policy.ts';

export interface PullResult {
  red_card: { seen: number; created: number };
  authority: { seen: number; created: number };
}

const PAGE = 1000;

/**
 * Registers a matter for every red card and every action outside authority since `since`
 * (default: 400 days before today).
 */
export async function pullReferrals(
  db: Db,
  opts: { since?: string; today?: string; actor?: string; policy?: MisconductPolicy } = {},
): Promise<PullResult> {
  const today = opts.today ?? (await bureauToday(db));
  const since = opts.since ?? addDays(today, -400);
  const policy = opts.policy ?? misconductPolicy();
  const actor = opts.actor ?? 'system:misconduct-referrals';
  const result: PullResult = { red_card: { seen: 0, created: 0 }, authority: { seen: 0, created: 0 } };

  // Red cards, newest first, paged backwards by the day they were raised.
  let to: string | undefined;
  for (;;) {
    const page = await listAlerts(db, { raisedFrom: since, raisedTo: to }, PAGE);
    for (const a of page) {
      if (a.kind !== 'red_card') continue;
      result.red_card.seen++;
      const r = await registerMatter(
        db,
        {
          source: 'red_card',
          sourceRef: `alert:${a.id}`,
          staff: a.staffNo ? [a.staffNo] : [],
          cases: [a.caseNo],
          faultType: policy.referrals.red_card,
          facts:
            `红牌警示：案件 ${a.caseNo} 承诺办结期限为 ${a.committedDue ?? '（未定）'}，` +
            `逾期后跟踪期内仍未办结，于 ${a.raisedOn} 亮红牌${a.resolvedAt ? `（已于 ${a.resolution ?? '其后'} 解除）` : ''}。`,
          receivedOn: a.raisedOn,
        },
        actor,
        { today, policy },
      );
      if (r.created) result.red_card.created++;
    }
    if (page.length < PAGE) break;
    const oldest = page[page.length - 1].raisedOn;
    if (oldest === to) break; // more than a page on one day: the next run goes on from there
    to = oldest;
  }

  // Actions outside authority, from the events of cases received since then.
  const tz = (await getBureau(db))?.timeZone ?? 'Asia/Shanghai';
  for await (const c of casesWithEvents(db, { receivedFrom: since }, tz)) {
    for (const e of c.events) {
      if (e.allowed !== false) continue;
      result.authority.seen++;
      const r = await registerMatter(
        db,
        {
          source: 'authority',
          sourceRef: `${e.caseNo}#${e.seq}`,
          staff: [e.actor],
          cases: [e.caseNo],
          faultType: policy.referrals.authority,
          facts:
            `超越权限：案件 ${e.caseNo} 第 ${e.seq} 步（${e.action}）由 ${e.actor} 于 ${e.at.toISOString()} 办理，` +
            `当时不在其权限之内${e.reasons?.length ? `（${e.reasons.join('；')}）` : ''}。`,
          receivedOn: today,
        },
        actor,
        { today, policy },
      );
      if (r.created) result.authority.created++;
    }
  }
  return result;
}
