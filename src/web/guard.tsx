/**
 * Guards for pages: the same permission that shows a navigation entry opens its page. Anonymous
 * users go to the login page (and come back after), users without the permission get a 403 page
 * in their language. Also the 404 page and the HTML rendering of errors thrown by page handlers.
 *
 * @example
 * pages.get('/org/staff/:no', pageGuard(['read', 'Org']), handler);
 * pages.get(auditPage.path, pageGuard(auditPage), handler); // a registered entry
 */
import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http.ts';
import { allows, type PageEntry, type Permission } from './registry.ts';
import { renderPage } from './render.tsx';

/** Path and query of a request, for `next=` after logging in. */
export function currentPath(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** Only a local path may be a redirect target: `/x`, never `//evil.example` or `https://...`. */
export function safeLocalPath(s: unknown, fallback = '/'): string {
  if (typeof s !== 'string' || !s.startsWith('/') || s.startsWith('//') || s.startsWith('/\\'))
    return fallback;
  return /[\r\n]/.test(s) ? fallback : s;
}

export function loginRedirect(c: Context<AppEnv>) {
  return c.redirect(`/login?next=${encodeURIComponent(currentPath(c.req.url))}`, 302);
}

export function pageGuard(entryOrCan: PageEntry | Permission): MiddlewareHandler<AppEnv> {
  const can: Permission = Array.isArray(entryOrCan)
    ? (entryOrCan as Permission)
    : (entryOrCan as PageEntry).can;
  return async (c, next) => {
    const p = c.get('principal');
    if (p.kind === 'public') return loginRedirect(c);
    if (!allows(p, can)) return forbiddenPage(c);
    await next();
  };
}

export function forbiddenPage(c: Context<AppEnv>) {
  return renderPage(c, {
    title: 'error.forbidden.title',
    status: 403,
    body: (v) => (
      <section class="notice notice-error" role="alert">
        <p>{v.t('error.forbidden.body')}</p>
        <p>
          <a href="/">{v.t('error.backHome')}</a>
        </p>
      </section>
    ),
  });
}

export function notFoundPage(c: Context<AppEnv>, what?: string) {
  return renderPage(c, {
    title: 'error.notFound.title',
    status: 404,
    body: (v) => (
      <section class="notice notice-warn" role="alert">
        <p>{v.t('error.notFound.body', { what: what ?? v.path })}</p>
        <p>
          <a href="/">{v.t('error.backHome')}</a>
        </p>
      </section>
    ),
  });
}

/** Errors thrown inside page handlers become pages, not JSON problems. */
export function pageErrorHandler(err: Error, c: Context<AppEnv>) {
  if (err instanceof AppError) {
    if (err.code === 'UNAUTHENTICATED') return loginRedirect(c);
    if (err.code === 'FORBIDDEN') return forbiddenPage(c);
    if (err.code === 'NOT_FOUND') return notFoundPage(c);
    if (err.code === 'PAYLOAD_TOO_LARGE') {
      return renderPage(c, {
        title: 'error.tooLarge.title',
        status: 413,
        body: (v) => <p class="notice notice-error">{v.t('error.tooLarge.body')}</p>,
      });
    }
  }
  console.error(`[${new Date().toISOString()}] ${c.req.method} ${c.req.path}:`, err);
  return c.html('<!doctype html><title>500</title><p>internal error; it has been logged</p>', 500);
}
