/**
 * The authority engine: decides, in memory and synchronously, whether a staff member may do an
 * action on an item at an instant. A clerk's CASL ability on a date is built from the posts they
 * hold as A that day, the grants of a post they back up as B while its A holder is recorded
 * absent (AB岗工作制), and the organ head's grants for the head; nothing while suspended or after
 * leaving. Abilities are cached per (staff, local date, policy version) and shared between days
 * whose holdings are the same. Separation-of-duties rules then look at the case's earlier events.
 * A denial is explained: which grant nearly applied and why not, which assignment ended, whose
 * absence does not cover the day, and which posts would have been allowed.
 *
 * @example
 * const engine = new AuthorityEngine(snapshot);
 * engine.decide({ staff: 'S005', action: 'accept', item: 'SG-001', at: new Date() });
 * // { allowed: true, via: 'own', post: 'P-ACCEPT-1', rule: { file: 'acceptance.yaml', post: 'P-ACCEPT-*', grant: 'intake' }, ... }
 */
import { Ability } from '@casl/ability';
import { AppError } from '../platform/errors.ts';
import { addDays, localDate } from '../platform/time.ts';
import {
  authorityActions,
  caseActions,
  channels,
  isAuthorityAction,
  routes,
  seals,
  stages,
} from './actions.ts';
import {
  type CaseFacts,
  caseMeets,
  caseMismatch,
  compileConditions,
  describeWhen,
  grantConditions,
  itemConditions,
  itemMismatch,
  itemSelected,
  type Subject,
} from './conditions.ts';
import {
  type CompiledGrant,
  type CompiledSeparation,
  matchingPattern,
  type PolicySet,
  parsePolicySet,
  type When,
} from './policy.ts';
import type {
  AbsenceRow,
  AssignmentRow,
  AuthoritySnapshot,
  ItemRow,
  PostRow,
  StaffRow,
  SuspensionRow,
} from './snapshot.ts';
import type { CaseContext, CaseHistoryEvent, Decision, DecisionRequest, RuleRef } from './types.ts';

export const HEAD_POST = 'bureau.head';

/** One way a staff member holds authority on a day. */
export interface Holding {
  via: 'own' | 'acting-for';
  /** A post code, or `bureau.head`. */
  post: string;
  postName: string;
  role?: 'A' | 'B';
  actingFor?: string;
  /** The days it holds (null: open). */
  from: string | null;
  to: string | null;
  absence?: { from: string; to: string; reason: string };
}

interface RuleMeta {
  holding: Holding;
  grant: CompiledGrant;
  rule: RuleRef;
  businesses: readonly string[];
  reasons: readonly string[];
  itemMatch: (o: Record<string, unknown>) => boolean;
  /** The decision this grant gives when it allows (made on first use; a meta is of one version). */
  allowed?: Decision;
}

interface StaffDay {
  ability: Ability<[string, any], any>;
  metas: RuleMeta[];
  holdings: Holding[];
}

/** One staff member's day under one policy version: the ability, and refusals already explained. */
interface DayEntry {
  day: StaffDay;
  denials: Map<number, Decision> | null;
}

interface Version {
  hash: string;
  fromMs: number;
  set: () => PolicySet;
}

export interface ScopeRow {
  item: string;
  itemName: string;
  business: string;
  action: string;
  via: 'own' | 'acting-for';
  post: string;
  actingFor?: string;
  rule: RuleRef;
  /** The case conditions in words, or null when it holds for any case. */
  conditions: string | null;
  /** The same conditions as data (route, channel, projectKey, stage, seal), for other languages. */
  when: When;
  /** The days between which it holds (null: open-ended or unknown). */
  from: string | null;
  to: string | null;
}

export interface Scope {
  staff: string;
  name: string;
  date: string;
  status: 'active' | 'suspended' | 'inactive';
  reasons: string[];
  holdings: Holding[];
  rows: ScopeRow[];
  separation: { file: string; id: string; actions: string[]; conflictsWith: string[]; message: string }[];
  policyVersion: string;
}

const isAccept = (e: CaseHistoryEvent) => e.action === 'accept';
const covers = (from: string | null, to: string | null, date: string) =>
  (from === null || from <= date) && (to === null || date <= to);
const maxDate = (...ds: (string | null)[]) =>
  ds.reduce<string | null>((m, d) => (d !== null && (m === null || d > m) ? d : m), null);
const minDate = (...ds: (string | null)[]) => {
  let m: string | null = null;
  for (const d of ds) if (d !== null && (m === null || d < m)) m = d;
  return m;
};
const span = (from: string | null, to: string | null) => `${from ?? '…'} to ${to ?? 'open'}`;

function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

const unprocessable = (path: string, message: string) =>
  new AppError('UNPROCESSABLE', message, [{ path, message }]);

/** Bounded caches are cleared when they outgrow this (a replay over years touches many days). */
const CACHE_LIMIT = 200_000;
const ACTION_INDEX = new Map<string, number>(authorityActions.map((a, i) => [a, i]));
/** Refusals kept per staff member and day (beyond that the day's explanations start again). */
const DENIALS_PER_DAY_LIMIT = 10_000;
/** Ten years of days per staff member before that staff member's day cache starts again. */
const DAYS_PER_STAFF_LIMIT = 3660;

export class AuthorityEngine {
  /** The version in force now (the latest activation). */
  readonly policyVersion: string;
  readonly timeZone: string;
  readonly head: string | null;
  private readonly staff: Map<string, StaffRow>;
  private readonly items: Map<string, ItemRow>;
  private readonly posts: Map<string, PostRow>;
  private readonly assignmentsByStaff: Map<string, AssignmentRow[]>;
  private readonly aHoldersByPost: Map<string, AssignmentRow[]>;
  private readonly absencesByStaff: Map<string, AbsenceRow[]>;
  private readonly suspensionsByStaff: Map<string, SuspensionRow[]>;
  private readonly versions: Version[];
  private readonly dayCache = new Map<string, Map<string, DayEntry[]>>();
  private readonly signatureCache = new Map<string, StaffDay>();
  private readonly dateCache = new Map<number, string>();
  private readonly grantsByPost = new Map<
    PolicySet,
    Map<string, { grant: CompiledGrant; pattern: string }[]>
  >();
  /** Posts come and go on dates: only then does "who would be allowed" depend on the date. */
  private readonly postsDated: boolean;
  private readonly wouldAllowCache = new Map<PolicySet, Map<string, string[]>>();
  private readonly otherConditionsCache = new Map<string, string[]>();
  private readonly itemIndex: Map<string, number>;
  private readonly historyNeeds = new Map<PolicySet, { separation: Set<string>; stage: Set<string> }>();

  constructor(snapshot: AuthoritySnapshot) {
    if (snapshot.activations.length === 0) throw new Error('authority: no policy version is active');
    this.timeZone = snapshot.timeZone;
    this.head = snapshot.head;
    this.staff = new Map(snapshot.staff.map((s) => [s.no, s]));
    this.items = new Map(snapshot.items.map((i) => [i.code, i]));
    this.itemIndex = new Map(snapshot.items.map((i, n) => [i.code, n]));
    this.posts = new Map(snapshot.posts.map((p) => [p.code, p]));
    this.postsDated = snapshot.posts.some((p) => p.inactiveFrom !== null);
    this.assignmentsByStaff = groupBy(snapshot.assignments, (a) => a.staffNo);
    this.aHoldersByPost = groupBy(
      snapshot.assignments.filter((a) => a.role === 'A'),
      (a) => a.post,
    );
    this.absencesByStaff = groupBy(snapshot.absences, (a) => a.staffNo);
    this.suspensionsByStaff = groupBy(snapshot.suspensions, (s) => s.staffNo);
    const compiled = new Map<string, PolicySet>();
    const setOf = (hash: string) => () => {
      let set = compiled.get(hash);
      if (!set) {
        const files = snapshot.policyFiles[hash];
        if (!files) throw new Error(`authority: policy version ${hash} has no stored files`);
        set = parsePolicySet(files);
        compiled.set(hash, set);
      }
      return set;
    };
    this.versions = [...snapshot.activations]
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((a) => ({ hash: a.hash, fromMs: a.at.getTime(), set: setOf(a.hash) }));
    const current = this.versions[this.versions.length - 1];
    this.policyVersion = current.hash;
    current.set(); // a bad current policy fails here, at load, not at the first decision
  }

  /** The policy set in force now. */
  get policy(): PolicySet {
    return this.versions[this.versions.length - 1].set();
  }

  /** The policy version in force at an instant (before the first activation: the first). */
  versionAt(at: Date): string {
    return this.versions[this.versionIndex(at.getTime())].hash;
  }

  hasStaff(no: string) {
    return this.staff.has(no);
  }

  /**
   * Whether the case's earlier events can change the answer for `action` at `at`: a separation
   * rule refuses it after some earlier action, or a grant for it needs the stage (read from the
   * history when not given). Lets callers skip looking the history up.
   */
  historyMatters(action: string, at: Date, stageGiven: boolean): boolean {
    const set = this.versions[this.versionIndex(at.getTime())].set();
    let needs = this.historyNeeds.get(set);
    if (!needs) {
      needs = {
        separation: new Set(set.separation.flatMap((r) => [...r.actions])),
        stage: new Set(set.grants.filter((g) => g.when.stage).flatMap((g) => g.actions)),
      };
      this.historyNeeds.set(set, needs);
    }
    return needs.separation.has(action) || (!stageGiven && needs.stage.has(action));
  }

  /** A post's name (the code itself when unknown). */
  postName(code: string): string {
    return this.posts.get(code)?.name ?? code;
  }

  /**
   * Decides one request. Synchronous and allocation-light: the case ledger calls it for every
   * event it ingests. Throws UNPROCESSABLE for an unknown staff member, item or action. An
   * allowing decision is frozen and shared by every request its grant allows that day.
   */
  decide(req: DecisionRequest): Decision {
    const staff = this.staff.get(req.staff);
    if (!staff) throw unprocessable('staff', `unknown staff ${req.staff}: not in the organisation`);
    const item = this.items.get(req.item);
    if (!item) throw unprocessable('item', `unknown item ${req.item}: not in the catalogue`);
    if (!isAuthorityAction(req.action)) throw unprocessable('action', `unknown action ${req.action}`);
    const ms = req.at instanceof Date ? req.at.getTime() : Number.NaN;
    if (Number.isNaN(ms)) throw unprocessable('at', 'at is not a valid instant');
    const vIdx = this.versionIndex(ms);
    const version = this.versions[vIdx];
    const date = this.localDate(ms);

    const blocked = this.blocked(staff, item, ms, date);
    if (blocked) return { allowed: false, reasons: [blocked], policyVersion: version.hash };

    const entry = this.dayEntry(staff.no, date, vIdx);
    const day = entry.day;
    const ctx = req.case;
    // The subject carries the case facts too (caseFacts inlined: this runs a million times).
    let stage = ctx?.stage;
    if (ctx && !stage && Array.isArray(ctx.history))
      stage = ctx.history.some(isAccept) ? 'decision' : 'intake';
    const subject: Subject = {
      code: item.code,
      business: item.business,
      kind: item.kind,
      specialSeal: item.specialSeal,
      atWindow: item.atWindow,
      online: item.online,
      route: ctx?.route,
      channel: ctx?.channel,
      projectKey: ctx ? (ctx.project === undefined ? undefined : ctx.project?.key === true) : undefined,
      stage,
      seal: ctx?.seal,
    };
    const rule = day.ability.relevantRuleFor(req.action, subject);
    if (!rule) return this.explainDenial(staff, item, req.action, ms, date, vIdx, entry, ctx, subject);
    const meta = (rule.origin as unknown as { meta: RuleMeta }).meta;
    if (ctx?.history?.length) {
      const conflict = this.separationConflict(version.set(), staff.no, item, req.action, ctx.history, ms);
      if (conflict) return this.separationDenial(conflict, meta, item, req.action, date, vIdx, subject);
    }
    // Nothing of the request is in an allowing decision: one frozen object per grant and day,
    // which callers may keep or serialise once (the HTTP route and the decision log do).
    if (!meta.allowed) {
      const d: Decision = {
        allowed: true,
        via: meta.holding.via,
        post: meta.holding.post,
        rule: meta.rule,
        reasons: meta.reasons as string[],
        policyVersion: version.hash,
      };
      if (meta.holding.actingFor) d.actingFor = meta.holding.actingFor;
      meta.allowed = Object.freeze(d);
    }
    return meta.allowed;
  }

  /**
   * Everything a staff member may do at an instant: one row per item, action and grant, with the
   * way it is held, the rule, the case conditions and the days between which it holds.
   */
  scope(staffNo: string, at: Date): Scope {
    const staff = this.staff.get(staffNo);
    if (!staff) throw unprocessable('staff', `unknown staff ${staffNo}: not in the organisation`);
    const ms = at.getTime();
    if (Number.isNaN(ms)) throw unprocessable('at', 'at is not a valid instant');
    const vIdx = this.versionIndex(ms);
    const set = this.versions[vIdx].set();
    const date = this.localDate(ms);
    const base = {
      staff: staff.no,
      name: staff.name,
      date,
      separation: set.separation.map((s) => ({
        file: s.file,
        id: s.id,
        actions: [...s.actions],
        conflictsWith: [...s.conflictsWith],
        message: s.message,
      })),
      policyVersion: set.hash,
    };
    if (staff.inactiveFrom && date >= staff.inactiveFrom)
      return { ...base, status: 'inactive', reasons: [this.inactiveReason(staff)], holdings: [], rows: [] };
    const suspension = this.suspensionAt(staff.no, ms);
    if (suspension)
      return {
        ...base,
        status: 'suspended',
        reasons: [this.suspendedReason(suspension)],
        holdings: [],
        rows: [],
      };
    const day = this.staffDay(staff.no, date, vIdx);
    const nextSuspension = this.nextSuspensionDay(staff.no, ms);
    const lastDay = minDate(staff.inactiveFrom ? addDays(staff.inactiveFrom, -1) : null, nextSuspension);
    const rows: ScopeRow[] = [];
    const items = [...this.items.values()].filter((i) => !i.inactiveFrom || date < i.inactiveFrom);
    // Own grants first, then acting ones: the order a reader expects.
    const metas = [
      ...day.metas.filter((m) => m.holding.via === 'own'),
      ...day.metas.filter((m) => m.holding.via !== 'own'),
    ];
    for (const meta of metas) {
      const conditions = describeWhen(meta.grant.when);
      for (const item of items) {
        if (!meta.itemMatch(item as unknown as Record<string, unknown>)) continue;
        const to = minDate(
          meta.holding.to,
          lastDay,
          item.inactiveFrom ? addDays(item.inactiveFrom, -1) : null,
        );
        for (const action of meta.grant.actions) {
          const row: ScopeRow = {
            item: item.code,
            itemName: item.name,
            business: item.business,
            action,
            via: meta.holding.via,
            post: meta.holding.post,
            rule: meta.rule,
            conditions,
            when: meta.grant.when,
            from: meta.holding.from,
            to,
          };
          if (meta.holding.actingFor) row.actingFor = meta.holding.actingFor;
          rows.push(row);
        }
      }
    }
    rows.sort((a, b) =>
      a.item < b.item ? -1 : a.item > b.item ? 1 : actionOrder(a.action) - actionOrder(b.action),
    );
    return { ...base, status: 'active', reasons: [], holdings: day.holdings, rows };
  }

  /** The holdings (own posts, acting-for, head) of a staff member on a local date. */
  holdings(staffNo: string, date: string): Holding[] {
    return this.computeHoldings(staffNo, date);
  }

  /**
   * Grants that can never apply in this organisation: a post or family no post matches, an item
   * code not in the catalogue. A typo in a policy otherwise only shows as a silent deny.
   */
  policyWarnings(): string[] {
    const out: string[] = [];
    const codes = [...this.posts.keys()];
    for (const g of this.policy.grants) {
      for (const p of g.posts)
        if (!codes.some((c) => matchingPattern({ ...g, posts: [p] }, c)))
          out.push(`${g.file} grant ${g.id}: no post matches ${p}`);
      for (const c of g.items.codes ?? [])
        if (!this.items.has(c)) out.push(`${g.file} grant ${g.id}: no item ${c}`);
    }
    if (!this.head && this.policy.grants.some((g) => g.head))
      out.push('head grants exist but the organisation names no bureau.head');
    return out;
  }

  /** Drops every cached ability (the data they came from is unchanged; for benchmarks). */
  clearCaches() {
    this.dayCache.clear();
    this.signatureCache.clear();
    this.wouldAllowCache.clear();
    this.otherConditionsCache.clear();
  }

  // ---- internals ----

  private versionIndex(ms: number): number {
    const v = this.versions;
    const last = v.length - 1;
    if (last === 0 || ms >= v[last].fromMs) return last;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (v[mid].fromMs <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The bureau's local date of an instant, cached per quarter hour (every real zone offset is a multiple). */
  private localDate(ms: number): string {
    const bucket = Math.floor(ms / 900_000);
    let d = this.dateCache.get(bucket);
    if (d === undefined) {
      d = localDate(new Date(bucket * 900_000), this.timeZone);
      if (this.dateCache.size > CACHE_LIMIT) this.dateCache.clear();
      this.dateCache.set(bucket, d);
    }
    return d;
  }

  private blocked(staff: StaffRow, item: ItemRow, ms: number, date: string): string | null {
    if (staff.inactiveFrom && date >= staff.inactiveFrom) return this.inactiveReason(staff);
    const suspension = this.suspensionAt(staff.no, ms);
    if (suspension) return this.suspendedReason(suspension);
    if (item.inactiveFrom && date >= item.inactiveFrom)
      return `${item.code} left the catalogue on ${item.inactiveFrom}; nobody may act on it after that`;
    return null;
  }

  private inactiveReason(staff: StaffRow) {
    return `${staff.no} has been inactive (left the organisation) since ${staff.inactiveFrom}; an inactive staff member holds no authority`;
  }

  private suspendedReason(s: SuspensionRow) {
    return `${s.staffNo} is suspended since ${s.from.toISOString()} (${s.reason}${s.ref ? `, ${s.ref}` : ''}); a suspended staff member holds no authority until it is lifted`;
  }

  private suspensionAt(staffNo: string, ms: number): SuspensionRow | null {
    const list = this.suspensionsByStaff.get(staffNo);
    if (!list) return null;
    for (const s of list) if (s.from.getTime() <= ms && (!s.liftedAt || ms < s.liftedAt.getTime())) return s;
    return null;
  }

  /** The day before the next suspension that starts after `ms`, or null. */
  private nextSuspensionDay(staffNo: string, ms: number): string | null {
    const list = this.suspensionsByStaff.get(staffNo);
    if (!list) return null;
    const next = list
      .filter((s) => s.from.getTime() > ms)
      .sort((a, b) => a.from.getTime() - b.from.getTime())[0];
    return next ? addDays(this.localDate(next.from.getTime()), -1) : null;
  }

  private computeHoldings(staffNo: string, date: string): Holding[] {
    const out: Holding[] = [];
    const postActive = (code: string) => {
      const p = this.posts.get(code);
      return p && (!p.inactiveFrom || date < p.inactiveFrom) ? p : null;
    };
    const postEnd = (p: PostRow) => (p.inactiveFrom ? addDays(p.inactiveFrom, -1) : null);
    const acting: Holding[] = [];
    for (const a of this.assignmentsByStaff.get(staffNo) ?? []) {
      if (!covers(a.from, a.to, date)) continue;
      const post = postActive(a.post);
      if (!post) continue;
      if (a.role === 'A') {
        out.push({
          via: 'own',
          post: post.code,
          postName: post.name,
          role: 'A',
          from: a.from,
          to: minDate(a.to, postEnd(post)),
        });
        continue;
      }
      for (const holder of this.aHoldersByPost.get(a.post) ?? []) {
        if (holder.staffNo === staffNo || !covers(holder.from, holder.to, date)) continue;
        const absence = (this.absencesByStaff.get(holder.staffNo) ?? []).find((x) =>
          covers(x.from, x.to, date),
        );
        if (!absence) continue;
        acting.push({
          via: 'acting-for',
          post: post.code,
          postName: post.name,
          role: 'B',
          actingFor: holder.staffNo,
          from: maxDate(a.from, holder.from, absence.from),
          to: minDate(a.to, holder.to, absence.to, postEnd(post)),
          absence: { from: absence.from, to: absence.to, reason: absence.reason },
        });
      }
    }
    if (this.head === staffNo)
      out.push({ via: 'own', post: HEAD_POST, postName: '行政机关负责人', from: null, to: null });
    return [...out, ...acting];
  }

  private staffDay(staffNo: string, date: string, vIdx: number): StaffDay {
    return this.dayEntry(staffNo, date, vIdx).day;
  }

  private dayEntry(staffNo: string, date: string, vIdx: number): DayEntry {
    // Nested maps: the staff number and the (cached, hence same) date string hash once; a
    // concatenated key would be a new string to hash on every decision.
    let days = this.dayCache.get(staffNo);
    if (!days) {
      days = new Map();
      this.dayCache.set(staffNo, days);
    }
    let byVersion = days.get(date);
    if (!byVersion) {
      if (days.size > DAYS_PER_STAFF_LIMIT) days.clear();
      byVersion = [];
      days.set(date, byVersion);
    }
    const cached = byVersion[vIdx];
    if (cached) return cached;
    const holdings = this.computeHoldings(staffNo, date);
    const signature = `${staffNo}\u0001${vIdx}\u0001${holdings.map((h) => `${h.via}/${h.post}/${h.actingFor ?? ''}/${h.from}/${h.to}`).join(',')}`;
    let day = this.signatureCache.get(signature);
    if (!day) {
      day = this.buildDay(holdings, this.versions[vIdx].set());
      if (this.signatureCache.size > CACHE_LIMIT) this.signatureCache.clear();
      this.signatureCache.set(signature, day);
    }
    const entry: DayEntry = { day, denials: null };
    byVersion[vIdx] = entry;
    return entry;
  }

  private grantsFor(set: PolicySet, post: string) {
    let bySet = this.grantsByPost.get(set);
    if (!bySet) {
      bySet = new Map();
      this.grantsByPost.set(set, bySet);
    }
    let list = bySet.get(post);
    if (!list) {
      list = [];
      for (const grant of set.grants) {
        if (post === HEAD_POST) {
          if (grant.head) list.push({ grant, pattern: HEAD_POST });
          continue;
        }
        const pattern = matchingPattern(grant, post);
        if (pattern) list.push({ grant, pattern });
      }
      bySet.set(post, list);
    }
    return list;
  }

  private buildDay(holdings: Holding[], set: PolicySet): StaffDay {
    const metas: RuleMeta[] = [];
    const rules: unknown[] = [];
    // CASL gives the later rule priority: acting-for grants first, own ones after them, so a
    // clerk who may do something on their own post is never reported as acting for someone.
    const ordered = [
      ...holdings.filter((h) => h.via === 'acting-for'),
      ...holdings.filter((h) => h.via === 'own'),
    ];
    for (const holding of ordered) {
      const businesses = this.posts.get(holding.post)?.businesses ?? [];
      for (const { grant, pattern } of this.grantsFor(set, holding.post)) {
        const meta: RuleMeta = {
          holding,
          grant,
          rule: Object.freeze({ file: grant.file, post: pattern, grant: grant.id }),
          businesses,
          reasons: Object.freeze([grantedReason(holding, grant)]),
          itemMatch: compileConditions(itemConditions(grant.items, businesses)),
        };
        metas.push(meta);
        rules.push({
          action: grant.actions,
          subject: 'Item',
          conditions: grantConditions(grant, businesses),
          meta,
        });
      }
    }
    const ability = new Ability<[string, any], any>(rules as any, {
      conditionsMatcher: compileConditions as any,
      detectSubjectType: () => 'Item',
    });
    return { ability, metas, holdings };
  }

  private separationConflict(
    set: PolicySet,
    staffNo: string,
    item: ItemRow,
    action: string,
    history: CaseHistoryEvent[],
    ms: number,
  ): { rule: CompiledSeparation; event: CaseHistoryEvent } | null {
    for (const rule of set.separation) {
      if (!rule.actions.has(action)) continue;
      if (rule.items && !itemSelected(rule.items, item, [])) continue;
      for (const e of history) {
        if (e.actor !== staffNo || !rule.conflictsWith.has(e.action)) continue;
        if (e.at !== undefined) {
          const t = Date.parse(e.at);
          if (!Number.isNaN(t) && t > ms) continue;
        }
        return { rule, event: e };
      }
    }
    return null;
  }

  private separationDenial(
    conflict: { rule: CompiledSeparation; event: CaseHistoryEvent },
    meta: RuleMeta,
    item: ItemRow,
    action: string,
    date: string,
    vIdx: number,
    facts: CaseFacts,
  ): Decision {
    const { rule, event } = conflict;
    const set = this.versions[vIdx].set();
    const when = `${event.seq !== undefined ? `seq ${event.seq}` : ''}${event.seq !== undefined && event.at ? ', ' : ''}${event.at ?? ''}`;
    const wouldAllow = this.wouldAllow(set, item, action, date, facts);
    return {
      allowed: false,
      post: meta.holding.post,
      via: meta.holding.via,
      ...(meta.holding.actingFor ? { actingFor: meta.holding.actingFor } : {}),
      rule: meta.rule,
      reasons: [
        `separation of duties, rule ${rule.id} (${rule.file}): ${event.actor} did ${event.action} on this case${when ? ` (${when})` : ''}, so may not ${action} it: ${rule.message}`,
        `${grantedReason(meta.holding, meta.grant)}, but the separation rule overrides it`,
        ...this.wouldAllowReason(wouldAllow, date, event.actor),
      ],
      wouldAllow,
      conflict: { file: rule.file, rule: rule.id, event },
      policyVersion: set.hash,
    };
  }

  /** The slow path: no grant applied. Says what came close and why it did not apply. */
  private explainDenial(
    staff: StaffRow,
    item: ItemRow,
    action: string,
    ms: number,
    date: string,
    vIdx: number,
    entry: DayEntry,
    ctx: CaseContext | undefined,
    facts: CaseFacts,
  ): Decision {
    const set = this.versions[vIdx].set();
    // The same refusal recurs (a clerk repeating an action outside their authority): the answer
    // depends only on the day, the item, the action, the case facts and the separation rule the
    // earlier events hit, so it is built once per day. The key is a number: no string to hash.
    const conflict = ctx?.history?.length
      ? this.separationConflict(set, staff.no, item, action, ctx.history, ms)
      : null;
    const key = this.denialKey(item, action, facts, conflict ? set.separation.indexOf(conflict.rule) + 1 : 0);
    entry.denials ??= new Map();
    const cached = entry.denials.get(key);
    if (cached) return { ...cached };
    const decision = this.buildDenial(staff, item, action, date, set, entry.day, facts, conflict);
    Object.freeze(decision.reasons);
    if (entry.denials.size > DENIALS_PER_DAY_LIMIT) entry.denials.clear();
    entry.denials.set(key, decision);
    return { ...decision };
  }

  private denialKey(item: ItemRow, action: string, f: CaseFacts, conflict: number): number {
    let k = this.itemIndex.get(item.code) ?? 0;
    k = k * 32 + (ACTION_INDEX.get(action) ?? 31);
    k = k * 8 + (f.route === undefined ? 0 : routes.indexOf(f.route as never) + 1);
    k = k * 4 + (f.channel === undefined ? 0 : channels.indexOf(f.channel as never) + 1);
    k = k * 4 + (f.projectKey === undefined ? 0 : f.projectKey ? 2 : 1);
    k = k * 4 + (f.stage === undefined ? 0 : stages.indexOf(f.stage) + 1);
    k = k * 4 + (f.seal === undefined ? 0 : seals.indexOf(f.seal as never) + 1);
    return k * 1024 + conflict;
  }

  private buildDenial(
    staff: StaffRow,
    item: ItemRow,
    action: string,
    date: string,
    set: PolicySet,
    day: StaffDay,
    facts: CaseFacts,
    conflict: { rule: CompiledSeparation; event: CaseHistoryEvent } | null,
  ): Decision {
    const reasons: string[] = [];
    // 1. Grants the staff holds today for this action that did not apply to this item or case.
    for (const meta of day.metas) {
      if (!meta.grant.actions.includes(action)) continue;
      const why = [
        itemMismatch(meta.grant.items, item, meta.businesses, meta.holding.post),
        ...caseMismatch(meta.grant.when, facts),
      ].filter((x): x is string => !!x);
      reasons.push(
        `${holdingText(meta.holding)}: grant ${meta.grant.id} (${meta.grant.file}) does not apply: ${why.join('; ')}`,
      );
    }
    // 2. Posts with a grant that fits, held on other days or as B without A's absence.
    for (const a of this.assignmentsByStaff.get(staff.no) ?? []) {
      if (!this.postFits(set, a.post, action, item, facts)) continue;
      if (!covers(a.from, a.to, date)) {
        reasons.push(
          `${staff.no} holds ${a.post} as ${a.role} only from ${a.from} to ${a.to ?? 'open'}; ${date} is outside the assignment`,
        );
        continue;
      }
      if (a.role === 'B') {
        const holders = (this.aHoldersByPost.get(a.post) ?? []).filter(
          (h) => h.staffNo !== staff.no && covers(h.from, h.to, date),
        );
        if (holders.length === 0) {
          reasons.push(
            `${staff.no} is B of ${a.post}, which has no A holder on ${date}; B acts only for an absent A`,
          );
        }
        for (const h of holders) {
          const absences = this.absencesByStaff.get(h.staffNo) ?? [];
          if (absences.some((x) => covers(x.from, x.to, date))) continue;
          const near = nearestAbsence(absences, date);
          reasons.push(
            `${staff.no} is B of ${a.post} and acts for its A holder ${h.staffNo} only during ${h.staffNo}'s recorded absence; ` +
              (near
                ? `${h.staffNo}'s absence ${near.from} to ${near.to} (${near.reason}) does not cover ${date}`
                : `${h.staffNo} has no recorded absence`),
          );
        }
      }
    }
    if (this.head && this.head !== staff.no && this.postFits(set, HEAD_POST, action, item, facts))
      reasons.push(
        `this is a power of the organ's head (bureau.head, ${this.head}), which ${staff.no} is not`,
      );
    // 3. Separation of duties would also refuse it.
    if (conflict)
      reasons.push(
        `separation of duties, rule ${conflict.rule.id} (${conflict.rule.file}) would refuse it as well: ${conflict.rule.message}`,
      );
    if (reasons.length === 0) {
      const held = day.holdings.map((h) => h.post);
      reasons.push(
        held.length
          ? `no grant: none of ${staff.no}'s posts on ${date} (${held.join(', ')}) has a grant for ${action} on ${item.code}`
          : `no grant: ${staff.no} holds no post on ${date}`,
      );
    }
    const wouldAllow = this.wouldAllow(set, item, action, date, facts);
    const other = wouldAllow.length ? [] : this.otherConditionsReason(set, item, action, date);
    reasons.push(...(other.length ? other : this.wouldAllowReason(wouldAllow, date)));
    return { allowed: false, reasons, wouldAllow, policyVersion: set.hash };
  }

  /** Whether a post has a grant for this action that fits this item and case. */
  private postFits(set: PolicySet, post: string, action: string, item: ItemRow, facts: CaseFacts): boolean {
    const businesses = this.posts.get(post)?.businesses ?? [];
    for (const { grant } of this.grantsFor(set, post))
      if (
        grant.actions.includes(action) &&
        itemSelected(grant.items, item, businesses) &&
        caseMeets(grant.when, facts)
      )
        return true;
    return false;
  }

  /** Posts (and `bureau.head`) whose grants would allow this action on this item and case. */
  private wouldAllow(set: PolicySet, item: ItemRow, action: string, date: string, facts: CaseFacts) {
    // The same question recurs (same item, action and kind of case): answer it once per day.
    const key = `${this.postsDated ? date : ''}\u0001${item.code}\u0001${action}\u0001${facts.route}\u0001${facts.channel}\u0001${facts.projectKey}\u0001${facts.stage}\u0001${facts.seal}`;
    let bySet = this.wouldAllowCache.get(set);
    if (!bySet) {
      bySet = new Map();
      this.wouldAllowCache.set(set, bySet);
    }
    const cached = bySet.get(key);
    if (cached) return cached;
    const out: string[] = [];
    for (const grant of set.grants) {
      if (!grant.actions.includes(action) || !caseMeets(grant.when, facts)) continue;
      if (grant.head) {
        if (itemSelected(grant.items, item, []) && !out.includes(HEAD_POST)) out.push(HEAD_POST);
        continue;
      }
      for (const post of this.posts.values()) {
        if (out.includes(post.code) || (post.inactiveFrom && date >= post.inactiveFrom)) continue;
        if (matchingPattern(grant, post.code) && itemSelected(grant.items, item, post.businesses))
          out.push(post.code);
      }
    }
    out.sort();
    Object.freeze(out);
    if (bySet.size > CACHE_LIMIT) bySet.clear();
    bySet.set(key, out);
    return out;
  }

  /** When nobody may do it for this case: who may under other case conditions (e.g. the other seal). */
  private otherConditionsReason(set: PolicySet, item: ItemRow, action: string, date: string): string[] {
    const key = `${set.hash}\u0001${this.postsDated ? date : ''}\u0001${item.code}\u0001${action}`;
    let cached = this.otherConditionsCache.get(key);
    if (!cached) {
      cached = this.computeOtherConditions(set, item, action, date);
      if (this.otherConditionsCache.size > CACHE_LIMIT) this.otherConditionsCache.clear();
      this.otherConditionsCache.set(key, cached);
    }
    return [...cached];
  }

  private computeOtherConditions(set: PolicySet, item: ItemRow, action: string, date: string): string[] {
    const out: string[] = [];
    for (const grant of set.grants) {
      if (!grant.actions.includes(action)) continue;
      const when = describeWhen(grant.when);
      if (!when) continue;
      const posts = grant.head
        ? itemSelected(grant.items, item, [])
          ? [HEAD_POST]
          : []
        : [...this.posts.values()]
            .filter((p) => (!p.inactiveFrom || date < p.inactiveFrom) && matchingPattern(grant, p.code))
            .filter((p) => itemSelected(grant.items, item, p.businesses))
            .map((p) => p.code);
      if (posts.length) out.push(`${posts.join(', ')} may, when ${when} (grant ${grant.id}, ${grant.file})`);
    }
    return out.length ? [`for this case nobody may; under other conditions: ${out.join('; ')}`] : [];
  }

  private wouldAllowReason(posts: string[], date: string, exclude?: string): string[] {
    if (posts.length === 0) return ['no post holds a grant that would allow it, under any conditions'];
    const named = posts.slice(0, 8).map((p) => {
      if (p === HEAD_POST) return `bureau.head (${this.head ?? 'not set'})`;
      const holders = (this.aHoldersByPost.get(p) ?? []).filter(
        (a) => covers(a.from, a.to, date) && a.staffNo !== exclude,
      );
      return holders.length ? `${p} (A: ${holders.map((h) => h.staffNo).join(', ')})` : p;
    });
    return [
      `it would be allowed through ${named.join('; ')}${posts.length > 8 ? ` and ${posts.length - 8} more` : ''}`,
    ];
  }
}

function holdingText(h: Holding): string {
  if (h.post === HEAD_POST) return 'as the organ head (bureau.head)';
  if (h.via === 'acting-for')
    return `as B of ${h.post} acting for ${h.actingFor} (absent ${h.absence?.from} to ${h.absence?.to}, ${h.absence?.reason})`;
  return `on own post ${h.post} (A, ${span(h.from, h.to)})`;
}

function grantedReason(h: Holding, g: CompiledGrant): string {
  return `allowed ${holdingText(h)} by grant ${g.id} (${g.file})${g.basis ? `: ${g.basis}` : ''}`;
}

function nearestAbsence(absences: AbsenceRow[], date: string): AbsenceRow | undefined {
  let best: AbsenceRow | undefined;
  let bestGap = Number.POSITIVE_INFINITY;
  const day = Date.parse(`${date}T00:00:00Z`);
  for (const a of absences) {
    const gap = Math.min(
      Math.abs(Date.parse(`${a.from}T00:00:00Z`) - day),
      Math.abs(Date.parse(`${a.to}T00:00:00Z`) - day),
    );
    if (gap < bestGap) {
      best = a;
      bestGap = gap;
    }
  }
  return best;
}

// A case's actions in the order it meets them, the head's approval of an extension just before
// the approval itself.
const order = new Map<string, number>(
  caseActions
    .flatMap((a): string[] => (a === 'approve' ? ['approve_extension', a] : [a]))
    .map((a, i) => [a, i]),
);
const actionOrder = (a: string) => order.get(a) ?? 99;
