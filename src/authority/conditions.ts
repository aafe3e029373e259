/**
 * What a grant's conditions are checked against (the item and the case, flattened into one CASL
 * subject), the MongoDB-style conditions a grant becomes, a fast matcher for them, and the plain
 * words that say why a grant did not apply.
 *
 * @example
 * const cond = grantConditions(grant, ['construction-permit']); // { business: { $in: [...] }, route: { $in: [...] } }
 * compileConditions(cond)({ business: 'construction-permit', route: 'normal', ... }) // true
 */
import type { Stage } from './actions.ts';
import type { CompiledGrant, ItemSelector, When } from './policy.ts';
import type { CaseContext } from './types.ts';

export interface ItemFacts {
  code: string;
  name: string;
  business: string;
  kind: string;
  specialSeal: boolean;
  atWindow: boolean;
  online: boolean;
  department: string | null;
}

/** The case as conditions see it; `undefined` means not known (no case given, or not said). */
export interface CaseFacts {
  route?: string;
  channel?: string;
  projectKey?: boolean;
  stage?: Stage;
  seal?: string;
}

/** The CASL subject: item fields and case fields side by side. */
export interface Subject extends CaseFacts {
  code: string;
  business: string;
  kind: string;
  specialSeal: boolean;
  atWindow: boolean;
  online: boolean;
}

/** Flattens the case; the stage comes from `stage`, else from whether `history` has an `accept`. */
export function caseFacts(ctx: CaseContext | undefined): CaseFacts {
  if (!ctx) return {};
  let stage = ctx.stage;
  if (!stage && Array.isArray(ctx.history))
    stage = ctx.history.some((e) => e.action === 'accept') ? 'decision' : 'intake';
  return {
    route: ctx.route,
    channel: ctx.channel,
    projectKey: ctx.project === undefined ? undefined : ctx.project?.key === true,
    stage,
    seal: ctx.seal,
  };
}

type Conditions = Record<string, unknown>;

/** A grant's conditions for one post (whose businesses `$post` stands for). */
export function grantConditions(grant: CompiledGrant, postBusinesses: readonly string[]): Conditions {
  return { ...itemConditions(grant.items, postBusinesses), ...whenConditions(grant.when) };
}

export function itemConditions(sel: ItemSelector, postBusinesses: readonly string[]): Conditions {
  const c: Conditions = {};
  if (sel.codes) c.code = { $in: sel.codes };
  if (sel.businesses) c.business = { $in: sel.businesses === '$post' ? [...postBusinesses] : sel.businesses };
  if (sel.kinds) c.kind = { $in: sel.kinds };
  if (sel.specialSeal !== undefined) c.specialSeal = sel.specialSeal;
  if (sel.atWindow !== undefined) c.atWindow = sel.atWindow;
  if (sel.online !== undefined) c.online = sel.online;
  return c;
}

export function whenConditions(when: When): Conditions {
  const c: Conditions = {};
  if (when.route) c.route = { $in: when.route };
  if (when.channel) c.channel = { $in: when.channel };
  if (when.projectKey !== undefined) c.projectKey = when.projectKey;
  if (when.stage) c.stage = { $in: when.stage };
  if (when.seal) c.seal = { $in: when.seal };
  return c;
}

type Matcher = ((o: Record<string, unknown>) => boolean) & { matchesAll?: boolean };

/**
 * CASL's conditions matcher for the subset grants use (`{ field: value }` and `{ $in: [...] }`),
 * compiled to closures: several times faster than the general MongoDB interpreter, which matters
 * at a million decisions a second. A field that is unknown (undefined) never matches.
 */
export function compileConditions(conditions: Conditions): Matcher {
  const tests: ((o: Record<string, unknown>) => boolean)[] = [];
  for (const [field, want] of Object.entries(conditions)) {
    if (want && typeof want === 'object' && '$in' in want) {
      const set = new Set((want as { $in: unknown[] }).$in);
      tests.push((o) => set.has(o[field]));
    } else if (want && typeof want === 'object') {
      throw new Error(`unsupported condition on ${field}: ${JSON.stringify(want)}`);
    } else {
      tests.push((o) => o[field] === want);
    }
  }
  const n = tests.length;
  if (n === 0) {
    const all: Matcher = () => true;
    all.matchesAll = true;
    return all;
  }
  if (n === 1) return tests[0];
  if (n === 2) {
    const [a, b] = tests;
    return (o) => a(o) && b(o);
  }
  return (o) => {
    for (let i = 0; i < n; i++) if (!tests[i](o)) return false;
    return true;
  };
}

const list = (xs: readonly string[], max = 6) =>
  xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`;

/** Whether `item` is among the items a selector names. */
export function itemSelected(sel: ItemSelector, item: ItemFacts, postBusinesses: readonly string[]): boolean {
  if (sel.codes && !sel.codes.includes(item.code)) return false;
  if (
    sel.businesses &&
    !(sel.businesses === '$post' ? postBusinesses : sel.businesses).includes(item.business)
  )
    return false;
  if (sel.kinds && !sel.kinds.includes(item.kind as never)) return false;
  if (sel.specialSeal !== undefined && sel.specialSeal !== item.specialSeal) return false;
  if (sel.atWindow !== undefined && sel.atWindow !== item.atWindow) return false;
  if (sel.online !== undefined && sel.online !== item.online) return false;
  return true;
}

/** Whether the case meets a grant's conditions (an unknown field never does). */
export function caseMeets(when: When, facts: CaseFacts): boolean {
  if (when.route && !when.route.includes(facts.route as never)) return false;
  if (when.channel && !when.channel.includes(facts.channel as never)) return false;
  if (when.projectKey !== undefined && facts.projectKey !== when.projectKey) return false;
  if (when.stage && !when.stage.includes(facts.stage as never)) return false;
  if (when.seal && !when.seal.includes(facts.seal as never)) return false;
  return true;
}

/** Why `item` is not among the items of a selector, or null when it is. */
export function itemMismatch(
  sel: ItemSelector,
  item: ItemFacts,
  postBusinesses: readonly string[],
  post: string,
): string | null {
  const out: string[] = [];
  if (sel.codes && !sel.codes.includes(item.code)) out.push(`it covers the items ${list(sel.codes)} only`);
  if (sel.businesses) {
    const bs = sel.businesses === '$post' ? postBusinesses : sel.businesses;
    if (!bs.includes(item.business)) {
      const whose = sel.businesses === '$post' ? ` (the businesses of ${post})` : '';
      out.push(
        bs.length
          ? `it covers items of ${list(bs)}${whose}; ${item.code} belongs to ${item.business}`
          : `${post} has no businesses, so it covers no item`,
      );
    }
  }
  if (sel.kinds && !sel.kinds.includes(item.kind as never))
    out.push(`it covers ${list(sel.kinds)} items; ${item.code} is ${item.kind}`);
  if (sel.specialSeal === true && !item.specialSeal)
    out.push(
      `it covers only items that may use the approval seal (审批专用章); ${item.code} needs the bureau's official seal`,
    );
  if (sel.specialSeal === false && item.specialSeal)
    out.push(
      `it covers only items that need the bureau's official seal; ${item.code} uses the approval seal`,
    );
  if (sel.atWindow === true && !item.atWindow)
    out.push(
      `it covers items handled at the window; ${item.code} is handled in its unit (${item.department ?? 'unit'})`,
    );
  if (sel.atWindow === false && item.atWindow)
    out.push(`it covers items handled in the units; ${item.code} is a window item`);
  if (sel.online === true && !item.online)
    out.push(`it covers online items; ${item.code} is not handled online`);
  if (sel.online === false && item.online) out.push(`it covers items not handled online; ${item.code} is`);
  return out.length ? out.join('; ') : null;
}

/** Why the case does not meet a grant's conditions (empty when it does). */
export function caseMismatch(when: When, facts: CaseFacts): string[] {
  const out: string[] = [];
  const need = (name: string, allowed: readonly string[], actual: string | undefined, hint: string) => {
    if (actual === undefined) out.push(`it needs ${name} ${list(allowed)}, and ${hint}`);
    else if (!allowed.includes(actual))
      out.push(`it needs ${name} ${list(allowed)}; the case's is ${actual}`);
  };
  if (when.route) need('route', when.route, facts.route, 'the case route was not given');
  if (when.channel) need('channel', when.channel, facts.channel, 'the case channel was not given');
  if (when.projectKey !== undefined && facts.projectKey !== when.projectKey) {
    if (facts.projectKey === undefined)
      out.push('it needs to know whether the project is a key project (重点项目); no case project was given');
    else
      out.push(
        when.projectKey
          ? 'it is for key projects (重点项目) only; the case project is not key'
          : 'it is not for key projects',
      );
  }
  if (when.stage)
    need(
      'stage',
      when.stage,
      facts.stage,
      'the stage is unknown (give case.stage, or case.history to read it from)',
    );
  if (when.seal) need('seal', when.seal, facts.seal, 'no seal was given (case.seal)');
  return out;
}

/** The case conditions of a grant in words, for the scope table; null when it has none. */
export function describeWhen(when: When): string | null {
  const parts: string[] = [];
  if (when.route) parts.push(`route ${when.route.join('/')}`);
  if (when.channel) parts.push(`channel ${when.channel.join('/')}`);
  if (when.projectKey !== undefined) parts.push(when.projectKey ? 'key project' : 'not a key project');
  if (when.stage) parts.push(`stage ${when.stage.join('/')}`);
  if (when.seal) parts.push(`seal ${when.seal.join('/')}`);
  return parts.length ? parts.join('; ') : null;
}
