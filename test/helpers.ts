/**
 * Test support: a fresh database per test file (PGlite in memory, or a new database on the
 * PostgreSQL server when DATABASE_URL is set) with migrations applied, and the app on top.
 *
 * @example
 * const t = await testApp();
 * afterAll(() => t.close());
 * const res = await t.app.request('/healthz');
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import postgres from 'postgres';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/client.ts';
import { policiesDir } from '../src/paths.ts';
import { createToken, createUser } from '../src/platform/auth.ts';
import type { Deps } from '../src/platform/http.ts';
import { loadRolePolicy, type RoleName } from '../src/platform/roles.ts';

export async function testDeps(): Promise<Deps & { close(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  let databaseUrl: string | undefined;
  let drop: (() => Promise<void>) | undefined;
  if (base) {
    const name = `neikong_t_${randomBytes(5).toString('hex')}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    drop = async () => {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    };
  }
  const config = {
    ...loadConfig({ DATA_DIR: '/tmp/neikong-test-unused', SESSION_SECRET: 'x'.repeat(32) }),
    databaseUrl,
  };
  const database = await openDatabase({ databaseUrl, inMemory: true });
  const deps: Deps = {
    db: database.db,
    database,
    config,
    roles: loadRolePolicy(join(policiesDir, 'roles.yaml')),
  };
  return {
    ...deps,
    async close() {
      await database.close();
      await drop?.();
    },
  };
}

export async function testApp() {
  const deps = await testDeps();
  const app = createApp(deps);
  return { ...deps, app, deps };
}

/** Creates a user of `role` and logs in; returns headers that carry the session and CSRF token. */
export async function loginAs(
  t: Awaited<ReturnType<typeof testApp>>,
  role: Exclude<RoleName, 'public' | 'system'>,
  opts: { name?: string; staffNo?: string } = {},
) {
  const name = opts.name ?? `${role}-${randomBytes(3).toString('hex')}`;
  const password = 'correct horse battery';
  await createUser(t.db, { name, role, staffNo: opts.staffNo ?? null, password }, 'test');
  const res = await t.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken } as Record<string, string>;
}

/** An API token of the approval system; returns headers carrying it. */
export async function systemToken(t: Awaited<ReturnType<typeof testApp>>) {
  const { token } = await createToken(
    t.db,
    { name: `sys-${randomBytes(3).toString('hex')}`, role: 'system' },
    'test',
  );
  return { authorization: `Bearer ${token}` } as Record<string, string>;
}

export const jsonHeaders = { 'content-type': 'application/json' };
