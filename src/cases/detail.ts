/**
 * One case as the API and the case page show it: the case line (applicant masked unless the
 * reader may see it), the clock recomputed as of the time of asking (so an open clock stop or a
 * pending Art. 32 acceptance reads true today), the timeline with each event's authority
 * decision and anomalies, and its alerts. Also the per-row figures of the ledger list that depend
 * on the day (days used and left).
 *
 * @example
 * const d = await caseDetail(db, 'QZJS-2026-000123', { asOf: new Date(), timeZone, mayReadApplicant: false });
 * d?.clock.committedDue; d?.events[3].authority.allowed; d?.case.applicant.name // '陈*'
 */
import { getCalendar, type WorkingCalendar } from '../calendar/index.ts';
import type { DbOrTx } from '../db/client.ts';
import { getItem } from '../org/service.ts';
import { anomalyText } from './anomalies.ts';
import { type CaseClock, computeCaseClock } from './clock.ts';
import { actionNames, type CaseAction } from './contract.ts';
import { applicantFor } from './mask.ts';
import { type CasePolicy, getCasePolicy } from './policy.ts';
import { type CaseListRow, caseEventsOf, getCaseRecord } from './query.ts';

export interface DetailOptions {
  asOf: Date;
  timeZone: string;
  mayReadApplicant: boolean;
  locale?: string;
  calendar?: WorkingCalendar;
  policy?: CasePolicy;
}

export type CaseDetail = NonNullable<Awaited<ReturnType<typeof caseDetail>>>;

/** The case, or null when there is no such case. */
export async function caseDetail(db: DbOrTx, caseNo: string, opts: DetailOptions) {
  const record = await getCaseRecord(db, caseNo);
  if (!record) return null;
  const events = await caseEventsOf(db, caseNo);
  const item = await getItem(db, record.case.itemCode);
  const calendar = opts.calendar ?? getCalendar();
  const locale = opts.locale ?? 'zh-CN';
  const c = record.case;
  const clock: CaseClock | null = item
    ? computeCaseClock({ caseNo, route: c.route, receivedAt: c.receivedAt }, events, item, calendar, {
        timeZone: opts.timeZone,
        asOf: opts.asOf,
        policy: opts.policy ?? getCasePolicy(),
      })
    : null;
  const { eventAnomalies: _e, ...clockOut } = clock ?? ({ eventAnomalies: [] } as unknown as CaseClock);
  return {
    case: {
      caseNo: c.caseNo,
      itemCode: c.itemCode,
      itemName: item?.name ?? null,
      business: item?.business ?? null,
      route: c.route,
      channel: c.channel,
      receivedAt: c.receivedAt.toISOString(),
      applicant: applicantFor(
        { kind: c.applicantKind, name: c.applicantName, id: c.applicantId },
        opts.mayReadApplicant,
      ),
      project: c.project,
    },
    clock: clock
      ? {
          ...clockOut,
          completedAt: clock.completedAt?.toISOString() ?? null,
          lastEventAt: clock.lastEventAt?.toISOString() ?? null,
        }
      : null,
    events: events.map((e) => ({
      seq: e.seq,
      at: e.at.toISOString(),
      action: e.action,
      actionName: actionNames[e.action as CaseAction] ?? e.action,
      actor: e.actor,
      data: e.data,
      anomalies: e.anomalies.map((code) => ({ code, text: anomalyText(code, locale) })),
      authority: {
        allowed: e.allowed,
        via: e.via,
        post: e.post,
        actingFor: e.actingFor,
        rule: e.rule,
        reasons: e.reasons,
        policyVersion: e.policyVersion,
      },
      importId: e.importId,
    })),
    anomalies: events.flatMap((e) =>
      e.anomalies.map((code) => ({ seq: e.seq, code, text: anomalyText(code, locale) })),
    ),
    alerts: record.alerts.map((a) => ({
      id: a.id,
      kind: a.kind,
      staffNo: a.staffNo,
      committedDue: a.committedDue,
      raisedOn: a.raisedOn,
      raisedAt: a.raisedAt.toISOString(),
      resolvedAt: a.resolvedAt?.toISOString() ?? null,
      resolution: a.resolution,
    })),
  };
}

/** A ledger row as the API returns it: light and days as of `today`, applicant masked or not. */
export function listRowOut(
  r: CaseListRow,
  today: string,
  calendar: WorkingCalendar,
  mayReadApplicant: boolean,
) {
  const until = r.completedOn ?? today;
  let daysLeft: number | null = null;
  let workingDaysUsed: number | null = r.workingDaysUsed;
  if (r.committedDue) daysLeft = calendar.countWorkingDays(until, r.committedDue).days;
  if (workingDaysUsed === null && r.acceptedOn && !r.completedOn) {
    const used = until > r.acceptedOn ? calendar.countWorkingDays(r.acceptedOn, until).days : 0;
    workingDaysUsed = Math.max(0, used - r.stoppedDays);
  }
  return {
    caseNo: r.caseNo,
    itemCode: r.itemCode,
    business: r.business,
    route: r.route,
    channel: r.channel,
    state: r.state,
    light: r.light,
    receivedAt: r.receivedAt.toISOString(),
    acceptedOn: r.acceptedOn,
    acceptance: r.acceptance,
    committedDue: r.committedDue,
    statutoryDue: r.statutoryDue,
    clockStoppedSince: r.clockStoppedSince,
    workingDaysUsed,
    daysLeft,
    completedAt: r.completedAt?.toISOString() ?? null,
    result: r.result,
    overdue: r.overdue,
    calendarMissing: r.calendarMissing,
    responsible: r.responsible,
    anomalies: r.anomalies,
    deniedCount: r.deniedCount,
    applicant: applicantFor(
      { kind: r.applicantKind, name: r.applicantName, id: r.applicantId },
      mayReadApplicant,
    ),
  };
}
