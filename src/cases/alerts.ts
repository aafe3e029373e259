/**
 * Red cards (红牌): a case still open `followUpDays` working days after turning red raises an
 * alert for its responsible clerk, which the misconduct module consumes. Alerts are records with
 * the day they apply from (`raised_on`), when neikong recorded them (`raised_at`) and when they
 * were resolved: by completion, or because the deadline moved (an approved extension, a clock
 * stop). A case imported after the fact (completed late) gets its red card too, raised on the
 * day it applied and resolved at completion, so history reads the same however events arrived.
 *
 * Runs after every ingestion and from a timer (it also turns pending Art. 32 acceptances into
 * deemed ones once the notice period is over).
 *
 * @example
 * await raiseRedCards(db, new Date(), { timeZone: 'Asia/Shanghai' }) // { raised: 3, resolved: 1, deemed: 0 }
 */
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import { appendAudit } from '../platform/audit.ts';
import { localDate } from '../platform/time.ts';

export interface RedCardResult {
  raised: number;
  resolved: number;
  /** Pending acceptances that became deemed (Art. 32) on this run. */
  deemed: number;
}

export interface RedCardOptions {
  timeZone: string;
  actor?: string;
  /** During ingestion: also look at the completed cases of this import (temp table nk_changed). */
  touched?: boolean;
}

/**
 * Raises and resolves red cards as of `now`, in its own transaction.
 * @example await raiseRedCards(deps.db, new Date(), { timeZone: deps.config.timeZone })
 */
export async function raiseRedCards(db: Db, now: Date, opts: RedCardOptions): Promise<RedCardResult> {
  return db.transaction((tx) => raiseRedCardsIn(tx, now, opts));
}

/** The same, inside a transaction the caller holds. */
export async function raiseRedCardsIn(tx: DbOrTx, now: Date, opts: RedCardOptions): Promise<RedCardResult> {
  const today = localDate(now, opts.timeZone);
  const count = async (q: ReturnType<typeof sql>) =>
    (
      await queryRows<{ n: number }>(
        tx,
        sql`with done as (${q} returning 1) select count(*)::int as n from done`,
      )
    )[0].n;

  const deemed = await count(sql`
    update case_state set acceptance = 'deemed',
      state = case when state in ('received', 'awaiting_supplement') then 'accepted' else state end
    where acceptance = 'pending' and deemed_from <= ${today}`);

  const resolvedDone = await count(sql`
    update case_alerts a set resolved_at = s.completed_at, resolution = 'completed'
    from case_state s
    where a.case_no = s.case_no and a.resolved_at is null and s.completed_at is not null`);
  const resolvedMoved = await count(sql`
    update case_alerts a set resolved_at = ${now.toISOString()}::timestamptz, resolution = 'deadline-moved'
    from case_state s
    where a.case_no = s.case_no and a.resolved_at is null and s.completed_at is null
      and (s.red_card_from is null or s.red_card_from > ${today})`);

  const candidates = opts.touched
    ? sql`(select s.* from case_state s where s.completed_at is null and s.red_card_from <= ${today}
         union all
         select s.* from nk_changed t join case_state s on s.case_no = t.case_no
         where s.completed_at is not null and s.red_card_from <= ${today} and s.completed_on >= s.red_card_from)`
    : sql`(select s.* from case_state s where s.completed_at is null and s.red_card_from <= ${today})`;
  const raised = await count(sql`
    insert into case_alerts (case_no, kind, staff_no, committed_due, raised_at, raised_on, resolved_at, resolution)
    select c.case_no, 'red_card', c.responsible, c.committed_due, ${now.toISOString()}::timestamptz, c.red_card_from, c.completed_at,
      case when c.completed_at is null then null else 'completed' end
    from ${candidates} c
    where not exists (select 1 from case_alerts a where a.case_no = c.case_no and a.kind = 'red_card'
                      and (a.resolved_at is null or a.raised_on = c.red_card_from))`);

  const result = { raised, resolved: resolvedDone + resolvedMoved, deemed };
  if (raised + result.resolved + deemed > 0) {
    await appendAudit(tx, {
      actor: opts.actor ?? 'system',
      action: 'cases.alerts',
      entity: 'case_alerts',
      entityId: today,
      content: result,
    });
  }
  return result;
}
