/**
 * Logging in and out with plain HTML forms, the language switch, and the home page that shows a
 * user the pages their role opens. The login form posts `application/x-www-form-urlencoded`;
 * errors are shown beside the field at fault.
 *
 * @example
 * // POST /login  name=clerk&password=...&next=/org/staff  -> 303 to /org/staff, sets nk_session
 * // POST /locale locale=en&back=/org/items&_csrf=...       -> 303 to /org/items, in English
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { getStaff } from '../org/service.ts';
import { appendAudit } from '../platform/audit.ts';
import { login, logout, SESSION_HOURS, setUserLocale } from '../platform/auth.ts';
import { AppError } from '../platform/errors.ts';
import { type AppEnv, actorOf, SESSION_COOKIE } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { Field, type FieldErrors } from './components.tsx';
import { loginRedirect, safeLocalPath } from './guard.tsx';
import { isLocale, translator } from './i18n.ts';
import { LOCALE_COOKIE, localeOf, renderPage } from './render.tsx';

export const authPages = new Hono<AppEnv>();

/**
 * Forms posted without a session carry no CSRF token; a browser always names the page's origin
 * on a cross-site POST, so refuse one that names another site.
 */
function crossSite(c: Context<AppEnv>): boolean {
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return false;
  try {
    return new URL(origin).host !== new URL(c.req.url).host;
  } catch {
    return true;
  }
}

interface LoginForm {
  name: string;
  next: string;
  errors: FieldErrors;
  status?: 200 | 400 | 401 | 429;
}

function loginPage(c: Context<AppEnv>, f: LoginForm) {
  return renderPage(c, {
    title: 'login.title',
    bare: true,
    status: f.status,
    body: (v) => (
      <section class="login-card">
        <p class="login-lead">{v.t('login.lead')}</p>
        {f.errors.form ? (
          <p class="notice notice-error" role="alert">
            {f.errors.form}
          </p>
        ) : null}
        <form method="post" action="/login" class="form" novalidate>
          <input type="hidden" name="next" value={f.next} />
          <Field
            v={v}
            name="name"
            label="login.name"
            value={f.name}
            error={f.errors.name}
            required
            autocomplete="username"
            autofocus={!f.name}
          />
          <Field
            v={v}
            name="password"
            label="login.password"
            type="password"
            error={f.errors.password}
            required
            autocomplete="current-password"
            autofocus={Boolean(f.name)}
          />
          <div class="form-actions">
            <button type="submit" class="btn btn-primary btn-wide">
              {v.t('login.submit')}
            </button>
          </div>
        </form>
        <p class="hint">{v.t('login.help')}</p>
      </section>
    ),
  });
}

authPages.get('/login', (c) => {
  const next = safeLocalPath(c.req.query('next'));
  if (c.get('principal').kind === 'user') return c.redirect(next, 302);
  return loginPage(c, { name: '', next, errors: {} });
});

authPages.post('/login', async (c) => {
  if (crossSite(c)) throw new AppError('FORBIDDEN', 'cross-site login form');
  const t = translator(localeOf(c));
  const body = await c.req.parseBody();
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  const password = typeof body.password === 'string' ? body.password : '';
  const next = safeLocalPath(body.next);
  const errors: FieldErrors = {};
  if (!name) errors.name = t('login.error.nameRequired');
  if (!password) errors.password = t('login.error.passwordRequired');
  if (errors.name || errors.password) return loginPage(c, { name, next, errors, status: 400 });
  const { db, config } = c.get('deps');
  try {
    const s = await login(db, name, password);
    setCookie(c, SESSION_COOKIE, s.cookieValue, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: config.publicUrl.startsWith('https:'),
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    });
    return c.redirect(next, 303);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (e.code === 'RATE_LIMITED') {
      const seconds = /(\d+) s/.exec(e.message)?.[1] ?? '?';
      return loginPage(c, {
        name,
        next,
        errors: { form: t('login.error.rateLimited', { seconds }) },
        status: 429,
      });
    }
    if (e.code === 'UNAUTHENTICATED') {
      return loginPage(c, { name, next, errors: { password: t('login.error.wrong') }, status: 401 });
    }
    throw e;
  }
});

authPages.post('/logout', async (c) => {
  const cookie = getCookie(c, SESSION_COOKIE);
  if (cookie) await logout(c.get('deps').db, cookie);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  return c.redirect('/login', 303);
});

authPages.post('/locale', async (c) => {
  if (crossSite(c)) throw new AppError('FORBIDDEN', 'cross-site language form');
  const body = await c.req.parseBody();
  const back = safeLocalPath(body.back);
  const locale = body.locale;
  if (!isLocale(locale)) return c.redirect(back, 303);
  const p = c.get('principal');
  if (p.kind === 'user' && p.userId !== undefined && p.locale !== locale) {
    const userId = p.userId;
    await c.get('deps').db.transaction(async (tx) => {
      await setUserLocale(tx, userId, locale);
      await appendAudit(tx, {
        actor: actorOf(p),
        action: 'user.locale',
        entity: 'user',
        entityId: p.name,
        content: { locale },
      });
    });
  }
  // Kept for anonymous pages too, so the login page after logging out stays in this language.
  setCookie(c, LOCALE_COOKIE, locale, {
    path: '/',
    sameSite: 'Lax',
    httpOnly: true,
    maxAge: 365 * 24 * 3600,
  });
  return c.redirect(back, 303);
});

authPages.get('/', async (c) => {
  const p = c.get('principal');
  if (p.kind !== 'user') return loginRedirect(c);
  const { db, config } = c.get('deps');
  const today = localDate(new Date(), config.timeZone);
  const me = p.staffNo ? await getStaff(db, p.staffNo) : null;
  return renderPage(c, {
    title: 'home.title',
    body: (v) => (
      <>
        <p class="lead">
          {v.t('home.greeting', {
            name: me?.name ?? p.name,
            role: v.t(`role.${p.role}`),
            date: v.date(today),
          })}
        </p>
        {v.nav.length === 0 ? <p class="empty">{v.t('home.nothing')}</p> : null}
        <div class="cards">
          {v.nav.map((g) => (
            <section class="card">
              <h2>{v.t(`nav.section.${g.section}`)}</h2>
              <ul class="card-links">
                {g.entries.map((e) => (
                  <li>
                    <a href={e.path}>{v.t(e.navKey)}</a>
                    {e.descKey ? <span class="card-desc">{v.t(e.descKey)}</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      </>
    ),
  });
});
