/**
 * The page registry: every page that appears in the navigation declares the permission it needs
 * (an action on a subject of `policies/roles.yaml`, as in src/platform/roles.ts). The navigation
 * shows a user exactly the entries their ability allows, and `pageGuard` makes the route enforce
 * the same permission: anonymous users are sent to the login page, others get the 403 page in
 * their language. No role names are written here: change a grant in roles.yaml and both the
 * menu and the routes follow.
 *
 * To add a page (say, cases "我的办件"):
 * 1. add its label to both `templates/locales/*.yaml` under `nav.*` (the labels of the pages the
 *    issues name are there already: nav.myAuthority, nav.myCases, nav.verification,
 *    nav.misconduct, nav.complaints, nav.rotation, nav.reports, nav.decisions);
 * 2. write the page in `src/web/<module>-pages.tsx`, reading through the module's service
 *    functions (web sits last in the dependency order, so it may call every module);
 * 3. register it once at module load and guard its route with the same entry (`pageGuard`,
 *    src/web/guard.tsx); render with `renderPage` (src/web/render.tsx) to get the shell;
 * 4. mount the router with one line in src/web/routes.ts, where page errors become pages (or in
 *    src/app.ts, after `pages.onError(pageErrorHandler)` from src/web/guard.tsx).
 *
 * @example
 * // src/web/cases-pages.tsx
 * import { Hono } from 'hono';
 * import { pageGuard } from './guard.tsx';
 * import { registerPage } from './registry.ts';
 * import { renderPage } from './render.tsx';
 *
 * const myCases = registerPage({
 *   path: '/cases/mine', navKey: 'nav.myCases', section: 'work', can: ['read', 'Case'], order: 20,
 * });
 * export const casePages = new Hono<AppEnv>();
 * casePages.get(myCases.path, pageGuard(myCases), async (c) =>
 *   renderPage(c, { title: 'nav.myCases', body: (v) => <p>{v.date('2026-03-02')}</p> }),
 * );
 * // src/web/routes.ts: webRoutes.route('/', casePages);
 */
import type { Principal } from '../platform/http.ts';
import type { Action, Subject } from '../platform/roles.ts';

/** Sections of the navigation, in the order they are shown. */
export const navSections = ['work', 'supervision', 'people', 'leadership', 'org', 'admin'] as const;
export type NavSection = (typeof navSections)[number];

export type Permission = readonly [Action, Subject];

export interface PageEntry {
  /** The URL the navigation links to (a query may narrow the view, e.g. `?sort=tenure`). */
  path: string;
  /** Locale key of the label, e.g. `nav.audit` (present in both locale files). */
  navKey: string;
  /** Optional locale key of a one-line description shown on the home page. */
  descKey?: string;
  section: NavSection;
  /** The permission needed to see the entry and to open the page. */
  can: Permission;
  /** Position within the section, ascending (default 100). */
  order?: number;
}

const entries: PageEntry[] = [];

/** Adds a page to the navigation; registering the same path and label again replaces it. */
export function registerPage<E extends PageEntry>(entry: E): E {
  const at = entries.findIndex((e) => e.path === entry.path && e.navKey === entry.navKey);
  if (at >= 0) entries[at] = entry;
  else entries.push(entry);
  return entry;
}

/** Every registered entry (for tests and the home page). */
export const registeredPages = (): readonly PageEntry[] => entries;

export const allows = (p: Principal, [action, subject]: Permission) => p.ability.can(action, subject);

export interface NavGroup {
  section: NavSection;
  entries: PageEntry[];
}

/** The navigation one principal sees: allowed entries, grouped by section, empty sections left out. */
export function navFor(p: Principal): NavGroup[] {
  if (p.kind === 'public') return [];
  return navSections
    .map((section) => ({
      section,
      entries: entries
        .filter((e) => e.section === section && allows(p, e.can))
        .sort((a, b) => (a.order ?? 100) - (b.order ?? 100)),
    }))
    .filter((g) => g.entries.length > 0);
}
