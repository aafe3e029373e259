/**
 * The application shell every page is rendered in: header with the bureau and the user, the
 * navigation the user's role allows (src/web/registry.ts), the language switch, and the page.
 * A handler builds its body from a `View`, which carries the language, `t`, date formatting in
 * the bureau's time zone, the CSRF token for forms and the current path.
 *
 * @example
 * app.get('/org/items', pageGuard(itemsPage), (c) =>
 *   renderPage(c, { title: 'items.title', body: (v) => <p>{v.date('2026-03-02')}</p> }),
 * ); // <p>2026年3月2日</p> in the shell
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { getBureau } from '../org/service.ts';
import type { AppEnv, Principal } from '../platform/http.ts';
import { asset } from './assets.ts';
import {
  defaultLocale,
  formatDate,
  formatDateTime,
  isLocale,
  type Locale,
  type Params,
  type T,
  translator,
} from './i18n.ts';
import { type NavGroup, navFor } from './registry.ts';

/** Anonymous users' choice of language (logged-in users' choice is kept in users.locale). */
export const LOCALE_COOKIE = 'nk_locale';

export function localeOf(c: Context<AppEnv>): Locale {
  const p = c.get('principal');
  if (p.kind === 'user' && isLocale(p.locale)) return p.locale;
  const chosen = getCookie(c, LOCALE_COOKIE);
  return isLocale(chosen) ? chosen : defaultLocale;
}

export interface View {
  locale: Locale;
  t: T;
  principal: Principal;
  /** Path of the request, without the query. */
  path: string;
  /** Path and query, for links back here (language switch, login `next`). */
  here: string;
  query: URLSearchParams;
  /** The session's CSRF token, for the `_csrf` field of every form that POSTs. */
  csrf: string;
  timeZone: string;
  nav: NavGroup[];
  /** `YYYY-MM-DD` as 2026年3月2日 / 2 March 2026. */
  date(d: string | null | undefined): string;
  /** An instant in the bureau's zone, with hours and minutes. */
  dateTime(d: Date): string;
  /** This page's URL with some query parameters replaced (null removes one). */
  withQuery(changes: Record<string, string | number | null>): string;
}

export function view(c: Context<AppEnv>): View {
  const locale = localeOf(c);
  const principal = c.get('principal');
  const timeZone = c.get('deps').config.timeZone;
  const url = new URL(c.req.url);
  return {
    locale,
    t: translator(locale),
    principal,
    path: url.pathname,
    here: url.pathname + url.search,
    query: url.searchParams,
    csrf: principal.csrfToken ?? '',
    timeZone,
    nav: navFor(principal),
    date: (d) => formatDate(d, locale),
    dateTime: (d) => formatDateTime(d, locale, timeZone),
    withQuery(changes) {
      const q = new URLSearchParams(url.searchParams);
      for (const [k, v] of Object.entries(changes)) {
        if (v === null || v === '') q.delete(k);
        else q.set(k, String(v));
      }
      const s = q.toString();
      return s ? `${url.pathname}?${s}` : url.pathname;
    },
  };
}

export interface PageOptions {
  /** Locale key of the title (or already translated text, with `titleText`). */
  title: string;
  titleParams?: Params;
  /** Use the title as given instead of looking it up (record names). */
  titleText?: boolean;
  body: (v: View) => Child;
  /** Shown beside the title: buttons, counts. */
  actions?: (v: View) => Child;
  status?: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;
  /** The login page and other pages outside the shell: no navigation. */
  bare?: boolean;
}

/** Renders a page in the shell and sends it. */
export async function renderPage(c: Context<AppEnv>, o: PageOptions) {
  const v = view(c);
  const bureau = v.principal.kind === 'public' ? null : await getBureau(c.get('deps').db);
  const title = o.titleText ? o.title : v.t(o.title, o.titleParams);
  const page = (
    <Shell v={v} title={title} bureau={bureau?.name ?? null} bare={o.bare}>
      <div class="page-head">
        <h1>{title}</h1>
        {o.actions ? <div class="page-actions">{o.actions(v)}</div> : null}
      </div>
      {o.body(v)}
    </Shell>
  );
  return c.html(`<!doctype html>${await page.toString()}`, o.status ?? 200);
}

const roleKey = (role: string) => `role.${role}`;

function Shell(props: { v: View; title: string; bureau: string | null; bare?: boolean; children?: Child }) {
  const { v, title, bureau } = props;
  const { t } = v;
  const user = v.principal.kind === 'user' ? v.principal : null;
  return (
    <html lang={v.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('app.name')}`}</title>
        <link rel="stylesheet" href={asset('app.css')} />
        <link rel="icon" href={asset('favicon.svg')} type="image/svg+xml" />
        <script src={asset('app.js')} defer></script>
      </head>
      <body class={props.bare ? 'bare' : 'app'}>
        <a class="skip-link" href="#main">
          {t('layout.skip')}
        </a>
        <header class="topbar">
          <a class="brand" href="/">
            <img src={asset('favicon.svg')} alt="" width="28" height="28" />
            <span class="brand-name">{t('app.name')}</span>
            {bureau ? <span class="brand-bureau">{bureau}</span> : null}
          </a>
          <div class="topbar-tools">
            {user ? (
              <span class="who">
                <span class="who-name">{user.name}</span>
                <span class="badge badge-role">{t(roleKey(user.role))}</span>
              </span>
            ) : null}
            <LanguageSwitch v={v} />
            {user ? (
              <form method="post" action="/logout" class="inline">
                <input type="hidden" name="_csrf" value={v.csrf} />
                <button type="submit" class="btn btn-ghost">
                  {t('layout.logout')}
                </button>
              </form>
            ) : null}
          </div>
        </header>
        <div class="frame">
          {props.bare || v.nav.length === 0 ? null : <SideNav v={v} />}
          <main id="main" tabindex={-1}>
            {props.children}
          </main>
        </div>
        <footer class="footer">{t('layout.footer')}</footer>
      </body>
    </html>
  );
}

function LanguageSwitch({ v }: { v: View }) {
  const other: Locale = v.locale === 'en' ? 'zh-CN' : 'en';
  return (
    <form method="post" action="/locale" class="inline lang-switch">
      <input type="hidden" name="_csrf" value={v.csrf} />
      <input type="hidden" name="locale" value={other} />
      <input type="hidden" name="back" value={v.here} />
      <button type="submit" class="btn btn-ghost" lang={other} title={v.t('layout.switchLanguage')}>
        {translator(other)('layout.languageName')}
      </button>
    </form>
  );
}

/** The entry whose path is the longest prefix of the current path is the current page. */
function currentEntry(v: View): string | null {
  let best: string | null = null;
  for (const g of v.nav) {
    for (const e of g.entries) {
      const [p, q] = e.path.split('?');
      const queryMatches = !q || [...new URLSearchParams(q)].every(([k, val]) => v.query.get(k) === val);
      const pathMatches = v.path === p || v.path.startsWith(`${p}/`);
      if (pathMatches && queryMatches && (!best || e.path.length > best.length)) best = e.path;
    }
  }
  return best;
}

function SideNav({ v }: { v: View }) {
  const current = currentEntry(v);
  return (
    <nav class="sidenav" aria-label={v.t('layout.navigation')}>
      <a
        href="/"
        class={v.path === '/' ? 'nav-home current' : 'nav-home'}
        aria-current={v.path === '/' ? 'page' : undefined}
      >
        {v.t('nav.home')}
      </a>
      {v.nav.map((g) => (
        <div class="nav-group">
          <h2 class="nav-section">{v.t(`nav.section.${g.section}`)}</h2>
          <ul>
            {g.entries.map((e) => (
              <li>
                <a
                  href={e.path}
                  class={e.path === current ? 'current' : undefined}
                  aria-current={e.path === current ? 'page' : undefined}
                >
                  {v.t(e.navKey)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
