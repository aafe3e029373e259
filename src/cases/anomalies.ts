/**
 * Anomalies: events that break the expected order of a case (approve before accept, complete
 * without a decision, ...). They happened, so they are stored, and flagged with one of the codes
 * below. The whole list lives here, with its Chinese and English text.
 *
 * An event's anomalies depend only on the case's earlier events (by `seq`), never on the
 * calendar or the time of asking, so once stored they stay true.
 *
 * @example
 * const tracker = new AnomalyTracker('normal');
 * tracker.next({ seq: 1, action: 'approve', at, data: {} }) // ['decision_before_accept']
 */

export const anomalyCatalog = {
  time_out_of_order: {
    zh: '事件时间早于前一序号事件',
    en: 'happened before the event with the previous seq',
  },
  notify_after_accept: { zh: '受理后又发出补正告知', en: 'supplement notice after acceptance' },
  notify_repeated: { zh: '再次发出补正告知(一次性告知)', en: 'a second supplement notice (one notice only)' },
  supplement_without_notice: { zh: '未经补正告知即补件', en: 'supplement without a notice asking for it' },
  accept_repeated: { zh: '重复受理', en: 'accepted again' },
  before_accept: {
    zh: '受理前即审核、分发、计时或延期',
    en: 'review, dispatch, clock or extension before acceptance',
  },
  decision_before_accept: {
    zh: '未受理即作出许可决定',
    en: 'decision (approve or return) before acceptance',
  },
  intake_return_after_accept: { zh: '受理后又作不予受理退件', en: 'intake refusal after acceptance' },
  opinion_not_dispatched: { zh: '未分发的部门出具并联意见', en: 'opinion from a department not dispatched' },
  decision_with_pending_opinions: {
    zh: '并联部门意见未齐即作出决定',
    en: 'decision while dispatched departments still owe opinions',
  },
  stop_while_stopped: { zh: '计时已暂停时再次暂停', en: 'clock stopped while already stopped' },
  resume_without_stop: { zh: '未暂停即恢复计时', en: 'clock resumed without a stop' },
  seal_before_approve: { zh: '未准予许可即用章', en: 'seal before approval' },
  file_rejection_without_return: { zh: '无退件却作否定报备', en: 'rejection filed without a return' },
  complete_without_decision: { zh: '未作决定即办结', en: 'completed without a decision (approve or return)' },
  result_mismatch: { zh: '办结结果与决定不一致', en: 'completion result differs from the decision' },
  complete_while_stopped: { zh: '计时暂停中即办结', en: 'completed while the clock was stopped' },
  announce_before_complete: { zh: '未办结即公告', en: 'announced before completion' },
  deliver_without_grant: { zh: '未准予许可即送达发证', en: 'delivered without a grant' },
  event_after_complete: { zh: '办结后仍有办理事件', en: 'handling event after completion' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type AnomalyCode = keyof typeof anomalyCatalog;
export const anomalyCodes = Object.keys(anomalyCatalog) as AnomalyCode[];

/** The anomaly's text in a locale (`zh-CN` or `en`). */
export const anomalyText = (code: string, locale: string = 'zh-CN') => {
  const entry = (anomalyCatalog as Record<string, { zh: string; en: string }>)[code];
  if (!entry) return code;
  return locale.startsWith('zh') ? entry.zh : entry.en;
};

/** Actions still expected after completion (公告, 送达, 否定报备). */
const AFTER_COMPLETE = new Set(['announce', 'deliver', 'file_rejection']);
const BEFORE_ACCEPT_WORK = new Set(['review', 'dispatch', 'opinion', 'clock_stop', 'clock_resume', 'extend']);

export interface AnomalyEvent {
  seq: number;
  action: string;
  /** Epoch milliseconds. */
  atMs: number;
  data: Record<string, unknown>;
}

/**
 * Walks a case's events in `seq` order and names each one's anomalies. Feed every event, stored
 * ones too: the tracker's state is the case so far.
 */
export class AnomalyTracker {
  private prevAt = Number.NEGATIVE_INFINITY;
  private notices = 0;
  private toleranceMissing = false;
  private accepted = false;
  private decision: 'approve' | 'return' | null = null;
  private returned = false;
  private completed = false;
  private stopped = false;
  private readonly dispatched = new Set<string>();
  private readonly answered = new Set<string>();

  constructor(private readonly route: string) {}

  next(e: AnomalyEvent): AnomalyCode[] {
    const found: AnomalyCode[] = [];
    if (e.atMs < this.prevAt) found.push('time_out_of_order');
    this.prevAt = Math.max(this.prevAt, e.atMs);
    if (this.completed && !AFTER_COMPLETE.has(e.action)) found.push('event_after_complete');
    if (BEFORE_ACCEPT_WORK.has(e.action) && !this.accepted) found.push('before_accept');
    switch (e.action) {
      case 'notify_supplement':
        if (this.accepted && this.route !== 'tolerance') found.push('notify_after_accept');
        if (this.notices > 0) found.push('notify_repeated');
        this.notices++;
        break;
      case 'supplement':
        if (this.notices === 0 && !this.toleranceMissing) found.push('supplement_without_notice');
        break;
      case 'accept':
        if (this.accepted) found.push('accept_repeated');
        this.accepted = true;
        if (Array.isArray(e.data.missing) && e.data.missing.length > 0) this.toleranceMissing = true;
        break;
      case 'dispatch':
        for (const d of asStrings(e.data.departments)) this.dispatched.add(d);
        break;
      case 'opinion': {
        const d = String(e.data.department ?? '');
        if (!this.dispatched.has(d)) found.push('opinion_not_dispatched');
        this.answered.add(d);
        break;
      }
      case 'clock_stop':
        if (this.stopped) found.push('stop_while_stopped');
        this.stopped = true;
        break;
      case 'clock_resume':
        if (!this.stopped) found.push('resume_without_stop');
        this.stopped = false;
        break;
      case 'approve':
        this.decide(found, 'decision');
        this.decision = 'approve';
        break;
      case 'return': {
        const stage = e.data.stage === 'intake' ? 'intake' : 'decision';
        if (stage === 'intake' && this.accepted) found.push('intake_return_after_accept');
        if (stage === 'decision') this.decide(found, stage);
        this.decision = 'return';
        this.returned = true;
        break;
      }
      case 'file_rejection':
        if (!this.returned) found.push('file_rejection_without_return');
        break;
      case 'seal':
        if (this.decision !== 'approve') found.push('seal_before_approve');
        break;
      case 'complete': {
        if (this.decision === null) found.push('complete_without_decision');
        else if ((e.data.result === 'granted') !== (this.decision === 'approve'))
          found.push('result_mismatch');
        if (this.stopped) found.push('complete_while_stopped');
        this.completed = true;
        break;
      }
      case 'announce':
        if (!this.completed) found.push('announce_before_complete');
        break;
      case 'deliver':
        if (this.decision !== 'approve') found.push('deliver_without_grant');
        break;
    }
    return found;
  }

  private decide(found: AnomalyCode[], _stage: 'decision') {
    if (!this.accepted) found.push('decision_before_accept');
    for (const d of this.dispatched) {
      if (!this.answered.has(d)) {
        found.push('decision_with_pending_opinions');
        break;
      }
    }
  }
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
