/**
 * Administration of neikong's own accounts: users (list, create with a form) and API tokens for
 * the approval system (list, create — the token is shown once — and revoke). Errors are shown
 * beside the field at fault, in the user's language.
 *
 * @example
 * // POST /admin/users   name=chen&role=clerk&staffNo=S003&password=...&_csrf=...  -> 303 /admin/users?created=chen
 * // POST /admin/tokens  name=approval&role=system&_csrf=...  -> the page, with the token shown once
 * // POST /admin/tokens/3/revoke  _csrf=...                    -> 303 /admin/tokens?revoked=approval
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { getStaff } from '../org/service.ts';
import {
  createToken,
  createUser,
  listTokens,
  listUsers,
  revokeToken,
  validatePassword,
} from '../platform/auth.ts';
import { AppError } from '../platform/errors.ts';
import { type AppEnv, actorOf } from '../platform/http.ts';
import { type RoleName, userRoles } from '../platform/roles.ts';
import { Csrf, Empty, Field, type FieldErrors, Grid, Select } from './components.tsx';
import { pageGuard } from './guard.tsx';
import { translator } from './i18n.ts';
import { registerPage } from './registry.ts';
import { localeOf, renderPage } from './render.tsx';

export const usersPage = registerPage({
  path: '/admin/users',
  navKey: 'nav.users',
  descKey: 'nav.desc.users',
  section: 'admin',
  can: ['read', 'User'],
  order: 20,
});
export const tokensPage = registerPage({
  path: '/admin/tokens',
  navKey: 'nav.tokens',
  descKey: 'nav.desc.tokens',
  section: 'admin',
  can: ['read', 'Token'],
  order: 30,
});

export const adminPages = new Hono<AppEnv>();

const str = (x: unknown) => (typeof x === 'string' ? x.trim() : '');

interface UserForm {
  name: string;
  role: string;
  staffNo: string;
}

async function usersList(c: Context<AppEnv>, form: UserForm, errors: FieldErrors, status?: 200 | 400 | 409) {
  const users = await listUsers(c.get('deps').db);
  const created = c.req.query('created');
  const canCreate = c.get('principal').ability.can('create', 'User');
  return renderPage(c, {
    title: 'users.title',
    status,
    body: (v) => (
      <div class="split">
        <section>
          {created ? (
            <p class="notice notice-ok" role="status">
              {v.t('users.created', { name: created })}
            </p>
          ) : null}
          <Grid
            rows={users}
            columns={[
              { head: v.t('users.name'), cell: (u) => u.name },
              { head: v.t('users.role'), cell: (u) => v.t(`role.${u.role}`) },
              {
                head: v.t('users.staffNo'),
                cell: (u) =>
                  u.staffNo ? <a href={`/org/staff/${encodeURIComponent(u.staffNo)}`}>{u.staffNo}</a> : '—',
              },
              {
                head: v.t('users.status'),
                cell: (u) => (u.active ? v.t('users.active') : v.t('users.inactive')),
              },
            ]}
          />
        </section>
        {canCreate ? (
          <section class="panel">
            <h2>{v.t('users.new')}</h2>
            <form method="post" action="/admin/users" class="form" novalidate>
              <Csrf v={v} />
              <Field
                v={v}
                name="name"
                label="users.name"
                value={form.name}
                error={errors.name}
                required
                autocomplete="off"
                hint={v.t('users.nameHint')}
              />
              <Select
                v={v}
                name="role"
                label="users.role"
                value={form.role}
                error={errors.role}
                options={userRoles.map((r) => ({ value: r, label: v.t(`role.${r}`) }))}
              />
              <Field
                v={v}
                name="staffNo"
                label="users.staffNo"
                value={form.staffNo}
                error={errors.staffNo}
                hint={v.t('users.staffNoHint')}
              />
              <Field
                v={v}
                name="password"
                label="users.password"
                type="password"
                error={errors.password}
                required
                autocomplete="new-password"
                hint={v.t('users.passwordHint')}
              />
              <div class="form-actions">
                <button type="submit" class="btn btn-primary">
                  {v.t('users.create')}
                </button>
              </div>
            </form>
          </section>
        ) : null}
      </div>
    ),
  });
}

adminPages.get(usersPage.path, pageGuard(usersPage), (c) =>
  usersList(c, { name: '', role: 'clerk', staffNo: '' }, {}),
);

adminPages.post(usersPage.path, pageGuard(['create', 'User']), async (c) => {
  const t = translator(localeOf(c));
  const body = await c.req.parseBody();
  const form = { name: str(body.name), role: str(body.role), staffNo: str(body.staffNo) };
  const password = typeof body.password === 'string' ? body.password : '';
  const { db } = c.get('deps');
  // Every field at fault at once: ours (the staff number must exist) and createUser's own rules.
  const errors: FieldErrors = {};
  if (form.staffNo && !(await getStaff(db, form.staffNo)))
    errors.staffNo = t('users.error.staffNo', { no: form.staffNo });
  if (!/^[\p{L}\p{N}._-]{2,64}$/u.test(form.name)) errors.name = t('users.error.name');
  if (!(userRoles as readonly string[]).includes(form.role)) errors.role = t('users.error.role');
  if (validatePassword(password)) errors.password = t('users.error.password');
  if (Object.keys(errors).length) return usersList(c, form, errors, 400);
  try {
    await createUser(db, { ...form, staffNo: form.staffNo || null, password }, actorOf(c.get('principal')));
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (e.code === 'CONFLICT')
      return usersList(c, form, { name: t('users.error.exists', { name: form.name }) }, 409);
    if (e.code !== 'VALIDATION_FAILED') throw e;
    for (const p of e.errors ?? []) errors[p.path] = t(`users.error.${p.path}`);
    return usersList(c, form, errors, 400);
  }
  return c.redirect(`${usersPage.path}?created=${encodeURIComponent(form.name)}`, 303);
});

const tokenRoles = ['system', ...userRoles] as const;

async function tokensList(
  c: Context<AppEnv>,
  opts: {
    form?: { name: string; role: string };
    errors?: FieldErrors;
    fresh?: { name: string; token: string };
    status?: 200 | 201 | 400;
  },
) {
  const tokens = await listTokens(c.get('deps').db);
  const p = c.get('principal');
  const canCreate = p.ability.can('create', 'Token');
  const canRevoke = p.ability.can('delete', 'Token');
  const revoked = c.req.query('revoked');
  const form = opts.form ?? { name: '', role: 'system' };
  const errors = opts.errors ?? {};
  return renderPage(c, {
    title: 'tokens.title',
    status: opts.status === 201 ? 200 : opts.status,
    body: (v) => (
      <div class="split">
        <section>
          {opts.fresh ? (
            <div class="notice notice-ok token-once" role="status">
              <p>{v.t('tokens.createdOnce', { name: opts.fresh.name })}</p>
              <p>
                <code class="secret" id="new-token">
                  {opts.fresh.token}
                </code>{' '}
                <button type="button" class="btn btn-ghost" data-copy="new-token">
                  {v.t('tokens.copy')}
                </button>
              </p>
            </div>
          ) : null}
          {revoked ? (
            <p class="notice notice-ok" role="status">
              {v.t('tokens.revoked', { name: revoked })}
            </p>
          ) : null}
          {tokens.length === 0 ? (
            <Empty v={v} text={v.t('tokens.none')} />
          ) : (
            <Grid
              rows={tokens}
              rowAttrs={(tk) => ({ class: tk.revokedAt ? 'past' : undefined })}
              columns={[
                { head: v.t('tokens.name'), cell: (tk) => tk.name },
                { head: v.t('tokens.role'), cell: (tk) => v.t(`role.${tk.role}`) },
                { head: v.t('tokens.prefix'), class: 'code', cell: (tk) => `${tk.prefix}…` },
                { head: v.t('tokens.createdAt'), class: 'nowrap', cell: (tk) => v.dateTime(tk.createdAt) },
                {
                  head: v.t('tokens.status'),
                  cell: (tk) =>
                    tk.revokedAt
                      ? v.t('tokens.revokedAt', { at: v.dateTime(tk.revokedAt) })
                      : v.t('tokens.active'),
                },
                canRevoke && {
                  head: v.t('tokens.actions'),
                  cell: (tk) =>
                    tk.revokedAt ? null : (
                      <form method="post" action={`/admin/tokens/${tk.id}/revoke`} class="inline">
                        <Csrf v={v} />
                        <button
                          type="submit"
                          class="btn btn-danger btn-small"
                          data-confirm={v.t('tokens.confirmRevoke', { name: tk.name })}
                        >
                          {v.t('tokens.revoke')}
                        </button>
                      </form>
                    ),
                },
              ]}
            />
          )}
        </section>
        {canCreate ? (
          <section class="panel">
            <h2>{v.t('tokens.new')}</h2>
            <p class="hint">{v.t('tokens.newHint')}</p>
            <form method="post" action="/admin/tokens" class="form" novalidate>
              <Csrf v={v} />
              <Field
                v={v}
                name="name"
                label="tokens.name"
                value={form.name}
                error={errors.name}
                required
                autocomplete="off"
              />
              <Select
                v={v}
                name="role"
                label="tokens.role"
                value={form.role}
                error={errors.role}
                options={tokenRoles.map((r) => ({ value: r, label: v.t(`role.${r}`) }))}
              />
              <div class="form-actions">
                <button type="submit" class="btn btn-primary">
                  {v.t('tokens.create')}
                </button>
              </div>
            </form>
          </section>
        ) : null}
      </div>
    ),
  });
}

adminPages.get(tokensPage.path, pageGuard(tokensPage), (c) => tokensList(c, {}));

adminPages.post(tokensPage.path, pageGuard(['create', 'Token']), async (c) => {
  const t = translator(localeOf(c));
  const body = await c.req.parseBody();
  const form = { name: str(body.name), role: str(body.role) };
  try {
    const made = await createToken(
      c.get('deps').db,
      { name: form.name, role: form.role as RoleName },
      actorOf(c.get('principal')),
    );
    // Shown in this answer only (never in a URL or a redirect): it is stored as a hash.
    c.header('cache-control', 'no-store');
    return tokensList(c, { fresh: { name: made.name, token: made.token }, status: 201 });
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'VALIDATION_FAILED') throw e;
    const errors: FieldErrors = {};
    for (const p of e.errors ?? []) errors[p.path] = t(`tokens.error.${p.path}`);
    return tokensList(c, { form, errors, status: 400 });
  }
});

adminPages.post('/admin/tokens/:id/revoke', pageGuard(['delete', 'Token']), async (c) => {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id <= 0) throw new AppError('NOT_FOUND', 'no such token');
  const row = await revokeToken(c.get('deps').db, id, actorOf(c.get('principal')));
  return c.redirect(`${tokensPage.path}?revoked=${encodeURIComponent(row.name)}`, 303);
});
