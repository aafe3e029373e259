/**
 * neikong's own users, sessions and API tokens.
 * Passwords: scrypt with a per-user salt, compared in constant time; after repeated failures an
 * account is slowed down (each further failure doubles the wait, up to 15 minutes).
 * Sessions and tokens are random secrets stored only as SHA-256 hashes.
 *
 * @example
 * await createUser(db, { name: 'chen', role: 'clerk', staffNo: 'S003', password: 'long secret' }, 'cli');
 * const session = await login(db, 'chen', 'long secret'); // { cookieValue, csrfToken, user }
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { appendAudit } from './audit.ts';
import { AppError } from './errors.ts';
import { sha256 } from './hash.ts';
import { type RoleName, userRoles } from './roles.ts';
import { apiTokens, sessions, users } from './schema.ts';

const scrypt = promisify(scryptCb) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: object,
) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
export const SESSION_HOURS = 12;
const FREE_FAILURES = 3;
const MAX_WAIT_MS = 15 * 60 * 1000;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltB64, keyB64] = stored.split('$');
  if (scheme !== 'scrypt' || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, 'base64');
  const key = await scrypt(password, Buffer.from(saltB64, 'base64'), expected.length, SCRYPT);
  return timingSafeEqual(key, expected);
}

// Checked against when the user does not exist, so both paths take the same time.
const dummyHash = hashPassword(randomBytes(12).toString('hex'));

export function validatePassword(password: string): string | null {
  if (password.length < 8) return 'must be at least 8 characters';
  if (password.length > 200) return 'must be at most 200 characters';
  return null;
}

export interface NewUser {
  name: string;
  role: string;
  staffNo?: string | null;
  password: string;
  locale?: string;
}

export async function createUser(db: Db, input: NewUser, actor: string) {
  const problems = [];
  if (!/^[\p{L}\p{N}._-]{2,64}$/u.test(input.name))
    problems.push({ path: 'name', message: '2-64 letters, digits, dot, dash or underscore' });
  if (!(userRoles as readonly string[]).includes(input.role))
    problems.push({ path: 'role', message: `must be one of ${userRoles.join(', ')}` });
  const pw = validatePassword(input.password);
  if (pw) problems.push({ path: 'password', message: pw });
  if (problems.length) throw AppError.validation(problems);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [exists] = await tx.select({ id: users.id }).from(users).where(eq(users.name, input.name));
    if (exists) throw new AppError('CONFLICT', `a user named ${input.name} exists`);
    const [user] = await tx
      .insert(users)
      .values({
        name: input.name,
        role: input.role,
        staffNo: input.staffNo ?? null,
        passwordHash,
        locale: input.locale ?? 'zh-CN',
      })
      .returning();
    await appendAudit(tx, {
      actor,
      action: 'user.create',
      entity: 'user',
      entityId: user.name,
      content: { name: user.name, role: user.role, staffNo: user.staffNo },
    });
    return user;
  });
}

export type User = typeof users.$inferSelect;

/** Waiting time still owed by an account after `failures` failed logins, the last at `lastAt`. */
export function loginWaitMs(failures: number, lastAt: Date | null, now = new Date()): number {
  if (failures < FREE_FAILURES || !lastAt) return 0;
  const wait = Math.min(1000 * 2 ** (failures - FREE_FAILURES), MAX_WAIT_MS);
  return Math.max(0, lastAt.getTime() + wait - now.getTime());
}

export interface LoginResult {
  cookieValue: string;
  csrfToken: string;
  user: User;
}

/** Checks a password and opens a session. Throws UNAUTHENTICATED or RATE_LIMITED. */
export async function login(db: Db, name: string, password: string): Promise<LoginResult> {
  const [user] = await db.select().from(users).where(eq(users.name, name));
  if (!user?.active) {
    await checkPassword(password, await dummyHash);
    throw new AppError('UNAUTHENTICATED', 'wrong user name or password');
  }
  const wait = loginWaitMs(user.failedLogins, user.lastFailedAt);
  if (wait > 0)
    throw new AppError('RATE_LIMITED', `too many failed logins; try again in ${Math.ceil(wait / 1000)} s`);
  if (!(await checkPassword(password, user.passwordHash))) {
    await db
      .update(users)
      .set({ failedLogins: user.failedLogins + 1, lastFailedAt: new Date() })
      .where(eq(users.id, user.id));
    throw new AppError('UNAUTHENTICATED', 'wrong user name or password');
  }
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.transaction(async (tx) => {
    await tx.update(users).set({ failedLogins: 0, lastFailedAt: null }).where(eq(users.id, user.id));
    await tx.insert(sessions).values({
      idHash: sha256(cookieValue),
      userId: user.id,
      csrfToken,
      expiresAt: new Date(Date.now() + SESSION_HOURS * 3600_000),
    });
    await tx.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  });
  return { cookieValue, csrfToken, user };
}

export async function sessionUser(db: DbOrTx, cookieValue: string) {
  const [row] = await db
    .select({ user: users, csrfToken: sessions.csrfToken })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.idHash, sha256(cookieValue)),
        gt(sessions.expiresAt, new Date()),
        eq(users.active, true),
      ),
    );
  return row ?? null;
}

export async function logout(db: DbOrTx, cookieValue: string) {
  await db.delete(sessions).where(eq(sessions.idHash, sha256(cookieValue)));
}

export async function setUserLocale(db: DbOrTx, userId: number, locale: string) {
  await db.update(users).set({ locale }).where(eq(users.id, userId));
}

export async function listUsers(db: DbOrTx) {
  return db
    .select({
      id: users.id,
      name: users.name,
      role: users.role,
      staffNo: users.staffNo,
      active: users.active,
    })
    .from(users)
    .orderBy(users.name);
}

const TOKEN_PREFIX = 'nk_';

/** Creates an API token; the token itself is returned once and stored only as a hash. */
export async function createToken(db: Db, input: { name: string; role: RoleName }, actor: string) {
  if (!/^[\p{L}\p{N}._-]{2,64}$/u.test(input.name))
    throw AppError.validation([{ path: 'name', message: '2-64 letters, digits, dot, dash or underscore' }]);
  if (input.role !== 'system' && !(userRoles as readonly string[]).includes(input.role))
    throw AppError.validation([
      { path: 'role', message: `must be system or one of ${userRoles.join(', ')}` },
    ]);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({ name: input.name, role: input.role, tokenHash: sha256(token), prefix: token.slice(0, 10) })
      .returning({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, prefix: apiTokens.prefix });
    await appendAudit(tx, {
      actor,
      action: 'token.create',
      entity: 'api_token',
      entityId: String(row.id),
      content: { name: row.name, role: row.role, prefix: row.prefix },
    });
    return { ...row, token };
  });
}

/** What a valid API token stands for. */
export interface TokenPrincipal {
  id: number;
  name: string;
  role: string;
}

/**
 * Valid tokens seen lately, per database, keyed by the token's hash (the token itself is never
 * kept). Only valid tokens are kept: an unknown one is looked up every time, so a token created a
 * moment ago works at once and guessing cannot fill the cache.
 *
 * Revoking a token in this process removes it here at once (`revokeToken`). Another process (the
 * CLI, a second server) cannot reach this memory: there a revocation takes effect when the entry
 * runs out, so `API_TOKEN_CACHE_SECONDS` bounds how long a revoked token can still be used.
 */
interface TokenCache {
  entries: Map<string, TokenPrincipal & { until: number }>;
  /** Bumped by every revocation: a lookup that began before it must not store what it read. */
  generation: number;
}
const tokenCaches = new WeakMap<DbOrTx, TokenCache>();
/** More live tokens than this is not expected; beyond it the oldest entries go first. */
const TOKEN_CACHE_MAX = 1000;

function tokenCacheOf(db: DbOrTx): TokenCache {
  let cache = tokenCaches.get(db);
  if (!cache) {
    cache = { entries: new Map(), generation: 0 };
    tokenCaches.set(db, cache);
  }
  return cache;
}

/** Forgets every cached token of `db` (after a revocation, or when roles change). */
export function forgetCachedTokens(db: DbOrTx): void {
  const cache = tokenCaches.get(db);
  if (!cache) return;
  cache.entries.clear();
  cache.generation++;
}

/**
 * The token's principal when it is trusted from memory right now (see TokenCache), else
 * undefined: then ask `tokenPrincipal`, which reads the database. Synchronous, for the request
 * path.
 */
export function cachedTokenPrincipal(db: DbOrTx, token: string, cacheMs: number): TokenPrincipal | undefined {
  if (cacheMs <= 0 || !token.startsWith(TOKEN_PREFIX)) return undefined;
  const hit = tokenCaches.get(db)?.entries.get(sha256(token));
  return hit && hit.until > Date.now() ? hit : undefined;
}

/**
 * The token's principal, or null when the token is unknown or revoked. With `cacheMs` > 0 a valid
 * token is trusted for that long without asking the database again (see TokenCache).
 */
export async function tokenPrincipal(
  db: DbOrTx,
  token: string,
  opts: { cacheMs?: number } = {},
): Promise<TokenPrincipal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const hash = sha256(token);
  const cacheMs = opts.cacheMs ?? 0;
  const cache = cacheMs > 0 ? tokenCacheOf(db) : null;
  // Taken before the query: the entry's lifetime counts from before the database was read.
  const now = Date.now();
  if (cache) {
    const hit = cache.entries.get(hash);
    if (hit && hit.until > now) return hit;
    if (hit) cache.entries.delete(hash);
  }
  const generation = cache?.generation;
  const [row] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt)));
  if (!row) return null;
  if (cache && cache.generation === generation) {
    if (cache.entries.size >= TOKEN_CACHE_MAX) {
      const oldest = cache.entries.keys().next().value;
      if (oldest !== undefined) cache.entries.delete(oldest);
    }
    cache.entries.set(hash, { ...row, until: now + cacheMs });
  }
  return row;
}

export async function revokeToken(db: Db, id: number, actor: string) {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id, name: apiTokens.name });
      if (!row) throw new AppError('NOT_FOUND', `no active token ${id}`);
      await appendAudit(tx, {
        actor,
        action: 'token.revoke',
        entity: 'api_token',
        entityId: String(id),
        content: row,
      });
      return row;
    });
  } finally {
    // Once committed, before anyone is told: from then on this process refuses the token. A
    // lookup that read the row before the commit is kept out of the cache by the generation.
    forgetCachedTokens(db);
  }
}

export async function listTokens(db: DbOrTx) {
  return db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      role: apiTokens.role,
      prefix: apiTokens.prefix,
      createdAt: apiTokens.createdAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .orderBy(apiTokens.id);
}
