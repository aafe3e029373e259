/**
 * The referral job: misconduct comes after the case ledger and verification in the dependency
 * order, so it pulls what they record through their exported reads and registers a matter for
 * each: red cards (红牌) from `listAlerts`, actions outside authority found at ingestion
 * (`listDeniedEvents`), and the failures of verification runs (`listFailuresForReferral`).
 * Registration is idempotent per source reference (`alert:17`, `QZJS-2026-000123#4`,
 * `verification:QZJS-2026-000123:timely`), so the job may run as often as wanted.
 *
 * One act is one matter: an `authorized` failure of verification is the same act as the denied
 * event found at ingestion, so it is registered under that event's reference (`CASE#SEQ`), never
 * a second time under its own. This module also tells verification which of its failures are
 * taken (`setReferralTracker`), so its workbench lists only those still waiting.
 *
 * @example
 * await pullReferrals(db)  // { red_card: { seen: 3, created: 1 }, authority: { seen: 2, created: 0 }, verification: { seen: 9, created: 9 } }
 * await pullReferrals(db, { since: '2026-01-01' })
 */
import { inArray, sql } from 'drizzle-orm';
import { type DeniedEvent, listAlerts, listDeniedEvents } from '../cases/index.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { getBureau } from '../org/service.ts';
import { addDays, startOfLocalDay } from '../platform/time.ts';
import {
  getVerificationPolicy,
  listFailuresForReferral,
  type ReferralItem,
  setReferralTracker,
  settledRunId,
} from '../verification/index.ts';
import { bureauToday, registerMatter } from './intake.ts';
import { type MisconductPolicy, misconductPolicy } from './policy.ts';
import { misconductMatters, misconductPullMarks } from './schema.ts';

interface Tally {
  seen: number;
  created: number;
}

export interface PullResult {
  red_card: Tally;
  authority: Tally;
  verification: Tally;
}

const PAGE = 1000;

interface PullOpts {
  since?: string;
  today?: string;
  actor?: string;
  policy?: MisconductPolicy;
}

/**
 * Registers a matter for every red card and every action outside authority since `since`
 * (default: 400 days before today), and for every failure of a finished verification run.
 */
export async function pullReferrals(db: Db, opts: PullOpts = {}): Promise<PullResult> {
  const today = opts.today ?? (await bureauToday(db));
  const ctx = {
    today,
    since: opts.since ?? addDays(today, -400),
    policy: opts.policy ?? misconductPolicy(),
    actor: opts.actor ?? 'system:misconduct-referrals',
  };
  return {
    red_card: await pullRedCards(db, ctx),
    authority: await pullDenials(db, ctx),
    verification: await pullFailures(db, ctx),
  };
}

type Ctx = Required<PullOpts>;

async function pullRedCards(db: Db, ctx: Ctx): Promise<Tally> {
  const tally = { seen: 0, created: 0 };
  // Newest first, paged backwards by the day they were raised.
  let to: string | undefined;
  for (;;) {
    const page = await listAlerts(db, { raisedFrom: ctx.since, raisedTo: to }, PAGE);
    for (const a of page) {
      if (a.kind !== 'red_card') continue;
      tally.seen++;
      const r = await registerMatter(
        db,
        {
          source: 'red_card',
          sourceRef: `alert:${a.id}`,
          staff: a.staffNo ? [a.staffNo] : [],
          cases: [a.caseNo],
          faultType: ctx.policy.referrals.red_card,
          facts:
            `红牌警示：案件 ${a.caseNo} 承诺办结期限为 ${a.committedDue ?? '（未定）'}，` +
            `逾期后跟踪期内仍未办结，于 ${a.raisedOn} 亮红牌${a.resolvedAt ? `（已于 ${a.resolution ?? '其后'} 解除）` : ''}。`,
          receivedOn: a.raisedOn,
        },
        ctx.actor,
        { today: ctx.today, policy: ctx.policy },
      );
      if (r.created) tally.created++;
    }
    if (page.length < PAGE) break;
    const oldest = page[page.length - 1].raisedOn;
    if (oldest === to) break; // more than a page on one day: the next run goes on from there
    to = oldest;
  }
  return tally;
}

type Denial = Pick<DeniedEvent, 'caseNo' | 'seq' | 'action' | 'actor' | 'reasons'> & { when: string };

/** Registers one act outside authority under `CASE#SEQ`, whoever found it first. */
function registerDenial(db: Db, e: Denial, ctx: Ctx) {
  return registerMatter(
    db,
    {
      source: 'authority',
      sourceRef: `${e.caseNo}#${e.seq}`,
      staff: [e.actor],
      cases: [e.caseNo],
      faultType: ctx.policy.referrals.authority,
      facts:
        `超越权限：案件 ${e.caseNo} 第 ${e.seq} 步（${e.action}）由 ${e.actor} 于 ${e.when} 办理，` +
        `当时不在其权限之内${e.reasons.length ? `（${e.reasons.join('；')}）` : ''}。`,
      receivedOn: ctx.today,
    },
    ctx.actor,
    { today: ctx.today, policy: ctx.policy },
  );
}

async function pullDenials(db: Db, ctx: Ctx): Promise<Tally> {
  const tally = { seen: 0, created: 0 };
  const since = startOfLocalDay(ctx.since, (await getBureau(db))?.timeZone ?? 'Asia/Shanghai');
  let after: DeniedEvent | undefined;
  for (;;) {
    const page = await listDeniedEvents(db, { since, after, limit: PAGE });
    for (const e of page) {
      tally.seen++;
      if ((await registerDenial(db, { ...e, when: e.at.toISOString() }, ctx)).created) tally.created++;
    }
    if (page.length < PAGE) return tally;
    after = page[page.length - 1];
  }
}

/** The denied events an `authorized` failure names (its wording's parameters). */
function deniedOf(item: Pick<ReferralItem, 'caseNo' | 'params'>): Denial[] {
  const events = (item.params.events as Record<string, unknown>[] | null | undefined) ?? [];
  return events.map((e) => ({
    caseNo: item.caseNo,
    seq: Number(e.seq),
    action: String(e.action),
    actor: String(e.actor),
    reasons: e.reason ? [String(e.reason)] : [],
    when: String(e.d),
  }));
}

/**
 * Opens (or finds) the matter for one failure of a verification run: an `authorized` failure
 * under the references of its denied events (the matters the ledger's denials open), any other
 * under its own reference. Used by the job and by the inspector's "refer" button alike.
 *
 * @example
 * const { id, created } = await referFailure(db, item, 'user:inspector');
 */
export async function referFailure(
  db: Db,
  item: Pick<
    ReferralItem,
    'runId' | 'caseNo' | 'check' | 'faultType' | 'staff' | 'detail' | 'params' | 'ref'
  >,
  actor: string,
  opts: { today?: string; policy?: MisconductPolicy } = {},
): Promise<{ id: number; created: boolean }> {
  const today = opts.today ?? (await bureauToday(db));
  const policy = opts.policy ?? misconductPolicy();
  if (item.check === 'authorized') {
    const denials = deniedOf(item);
    if (denials.length) {
      const ctx = { today, policy, actor, since: today };
      let first: { id: number; created: boolean } | undefined;
      for (const d of denials) {
        const r = await registerDenial(db, d, ctx);
        first ??= r;
        if (r.created) first = { id: first.id, created: true };
      }
      return first!;
    }
  }
  const checkName = getVerificationPolicy().checks[item.check]?.name['zh-CN'] ?? item.check;
  return registerMatter(
    db,
    {
      source: 'verification',
      sourceRef: item.ref,
      staff: item.staff,
      cases: [item.caseNo],
      faultType: item.faultType,
      facts: `核查发现（第${item.runId}次核查）：案件 ${item.caseNo}，${checkName}：${item.detail}`,
      receivedOn: today,
    },
    actor,
    { today, policy },
  );
}

/** The run id up to which verification's failures were all taken (0: none yet). */
async function pulledUpTo(db: Db): Promise<number> {
  const [row] = await db
    .select({ upTo: misconductPullMarks.upTo })
    .from(misconductPullMarks)
    .where(sql`${misconductPullMarks.source} = 'verification'`);
  return row?.upTo ?? 0;
}

/** Moves the mark forward only: a slower pull that ends later never takes it back. */
async function markPulled(db: Db, upTo: number) {
  await db
    .insert(misconductPullMarks)
    .values({ source: 'verification', upTo })
    .onConflictDoUpdate({
      target: misconductPullMarks.source,
      set: { upTo: sql`greatest(${misconductPullMarks.upTo}, excluded.up_to)`, updatedAt: new Date() },
    });
}

async function pullFailures(db: Db, ctx: Ctx): Promise<Tally> {
  const tally = { seen: 0, created: 0 };
  // Read first: a run that ends while this pull pages is left for the next pull.
  const settled = await settledRunId(db);
  // Runs whose failures were all taken by an earlier pull are not asked about again.
  const sinceRunId = await pulledUpTo(db);
  let after: string | undefined;
  for (;;) {
    const page = await listFailuresForReferral(db, { sinceRunId, after, limit: PAGE });
    // Most of a page was taken by an earlier pull: skip those without a transaction each.
    const taken = await tracker.taken(
      db,
      page.items.map((i) => i.ref),
    );
    for (const item of page.items) {
      tally.seen++;
      if (taken.has(item.ref)) continue;
      if ((await referFailure(db, item, ctx.actor, { today: ctx.today, policy: ctx.policy })).created)
        tally.created++;
    }
    if (!page.next) break;
    after = page.next;
  }
  await markPulled(db, Math.max(sinceRunId, settled));
  return tally;
}

/**
 * Which verification refs misconduct holds a matter for: its own references, and an
 * `authorized` failure once the ledger's denials of that case are registered.
 */
export const tracker = {
  async taken(db: DbOrTx, refs: string[]): Promise<Set<string>> {
    if (!refs.length) return new Set();
    const own = await db
      .select({ ref: misconductMatters.sourceRef })
      .from(misconductMatters)
      .where(
        sql`${misconductMatters.source} = 'verification' and ${inArray(misconductMatters.sourceRef, refs)}`,
      );
    const taken = new Set(own.map((r) => r.ref!));
    const authorized = refs.filter((r) => r.endsWith(':authorized'));
    if (authorized.length) {
      const caseOf = (ref: string) => ref.slice('verification:'.length, -':authorized'.length);
      const denied = await db
        .select({ ref: misconductMatters.sourceRef })
        .from(misconductMatters)
        .where(
          sql`${misconductMatters.source} = 'authority' and ${inArray(sql`split_part(${misconductMatters.sourceRef}, '#', 1)`, authorized.map(caseOf))}`,
        );
      const cases = new Set(denied.map((r) => r.ref!.split('#')[0]));
      for (const ref of authorized) if (cases.has(caseOf(ref))) taken.add(ref);
    }
    return taken;
  },
};

setReferralTracker(tracker);
