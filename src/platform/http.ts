/**
 * The HTTP plumbing every module's routes share: the app environment, who is asking (session
 * cookie, API token or nobody), CSRF protection for cookie sessions, permission guards from
 * `policies/roles.yaml`, and the one error shape.
 *
 * @example
 * const route = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
 * route.get('/api/org', guard('export', 'Org'), handler);
 */
import { subject as caslSubject } from '@casl/ability';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import type { DatabaseHandle, Db } from '../db/client.ts';
import { cachedTokenPrincipal, sessionUser, tokenPrincipal } from './auth.ts';
import { AppError, problem, zodIssuesToProblems } from './errors.ts';
import {
  type Action,
  type AppAbility,
  abilityFor,
  type RoleName,
  type RolePolicy,
  type Subject,
} from './roles.ts';

export interface Deps {
  db: Db;
  database: DatabaseHandle;
  config: Config;
  roles: RolePolicy;
}

export interface Principal {
  kind: 'user' | 'token' | 'public';
  name: string;
  role: RoleName;
  staffNo: string | null;
  userId?: number;
  csrfToken?: string;
  locale?: string;
  ability: AppAbility;
}

export type AppEnv = { Variables: { deps: Deps; principal: Principal } };

export const SESSION_COOKIE = 'nk_session';

/** `user:NAME`, `token:NAME` or `public`: who an audit entry names. */
export const actorOf = (p: Principal) => (p.kind === 'public' ? 'public' : `${p.kind}:${p.name}`);

const abilities = new WeakMap<RolePolicy, Map<string, AppAbility>>();
/** Enough for every user of a bureau; past it the memo starts again. */
const ABILITY_MEMO_MAX = 10_000;

/**
 * `abilityFor`, built once per role policy, role and staff number: a CASL ability is immutable,
 * so compiling the role's rules again for every request is wasted work.
 */
function abilityOf(roles: RolePolicy, role: RoleName, staffNo: string | null = null): AppAbility {
  let memo = abilities.get(roles);
  if (!memo) {
    memo = new Map();
    abilities.set(roles, memo);
  }
  const key = staffNo === null ? role : `${role}\u0000${staffNo}`;
  let ability = memo.get(key);
  if (!ability) {
    ability = abilityFor(roles, { role, staffNo });
    if (memo.size >= ABILITY_MEMO_MAX) memo.clear();
    memo.set(key, ability);
  }
  return ability;
}

/** Resolves the principal of every request. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { db, roles, config } = c.get('deps');
    const header = c.req.header('authorization');
    let principal: Principal | null = null;
    if (header?.startsWith('Bearer ')) {
      const secret = header.slice(7).trim();
      const cacheMs = config.tokenCacheSeconds * 1000;
      // A token trusted from memory is answered without a trip through the event loop.
      const token =
        cachedTokenPrincipal(db, secret, cacheMs) ?? (await tokenPrincipal(db, secret, { cacheMs }));
      if (!token) return problem(c, new AppError('UNAUTHENTICATED', 'unknown or revoked API token'));
      const role = token.role as RoleName;
      principal = {
        kind: 'token',
        name: token.name,
        role,
        staffNo: null,
        ability: abilityOf(roles, role),
      };
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      const found = cookie ? await sessionUser(db, cookie) : null;
      if (found) {
        const role = found.user.role as RoleName;
        principal = {
          kind: 'user',
          name: found.user.name,
          role,
          staffNo: found.user.staffNo,
          userId: found.user.id,
          csrfToken: found.csrfToken,
          locale: found.user.locale,
          ability: abilityOf(roles, role, found.user.staffNo),
        };
      }
    }
    principal ??= {
      kind: 'public',
      name: 'public',
      role: 'public',
      staffNo: null,
      ability: abilityOf(roles, 'public'),
    };
    c.set('principal', principal);
    await next();
  };
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie sessions must prove the request came from our own pages: a `x-csrf-token` header or a
 * `_csrf` form field equal to the session's token. Token and anonymous requests carry no cookie
 * authority, so they need none.
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get('principal');
    if (p.kind !== 'user' || SAFE.has(c.req.method)) return next();
    let sent = c.req.header('x-csrf-token');
    const type = c.req.header('content-type') ?? '';
    if (
      !sent &&
      (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data'))
    ) {
      const body = await c.req.parseBody();
      sent = typeof body._csrf === 'string' ? body._csrf : undefined;
    }
    if (!sent || sent !== p.csrfToken)
      return problem(c, new AppError('FORBIDDEN', 'missing or wrong CSRF token'));
    return next();
  };
}

/** Refuses the request unless the principal may do `action` on `subject` (401 when anonymous). */
export function guard(action: Action, subject: Subject): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    assertCan(c, action, subject);
    await next();
  };
}

const conditional = new WeakMap<AppAbility, Map<string, boolean>>();

/**
 * Whether any rule of `ability` for `action` on `subject` has conditions. When none has, the
 * fields of a record cannot change the answer, so it is the answer for the subject type: the
 * check that `assertCan` makes for every decision of a batch then costs no record and no
 * condition matching (the approval system's token asks about anyone, unconditionally).
 */
function hasConditions(ability: AppAbility, action: Action, subject: Subject): boolean {
  let memo = conditional.get(ability);
  if (!memo) {
    memo = new Map();
    conditional.set(ability, memo);
  }
  const key = `${action} ${subject}`;
  let found = memo.get(key);
  if (found === undefined) {
    found = ability.rulesFor(action, subject).some((r) => r.conditions !== undefined);
    memo.set(key, found);
  }
  return found;
}

/** Throws 401/403 unless allowed; `fields` lets a condition (e.g. own staff only) be checked. */
export function assertCan(
  c: Context<AppEnv>,
  action: Action,
  subject: Subject,
  fields?: Record<string, unknown>,
) {
  const p = c.get('principal');
  const allowed =
    fields && hasConditions(p.ability, action, subject)
      ? p.ability.can(action, caslSubject(subject, { ...fields }) as any)
      : p.ability.can(action, subject);
  if (allowed) return;
  if (p.kind === 'public') throw new AppError('UNAUTHENTICATED', 'log in first');
  throw new AppError('FORBIDDEN', `role ${p.role} may not ${action} ${subject}`);
}

/** Turns failed zod validation of a route's input into one problem listing every field. */
export const validationHook = (result: { success: boolean; error?: any; target?: string }, c: Context) => {
  if (!result.success) {
    const prefix = result.target === 'query' ? 'query' : result.target === 'param' ? 'path' : '';
    return problem(
      c,
      AppError.validation(zodIssuesToProblems(result.error.issues, prefix), 'the request has problems'),
    );
  }
};
