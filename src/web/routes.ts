/**
 * The web application: server-rendered pages (Hono JSX) and their assets, mounted on the app with
 * `app.route('/', webRoutes)`. Errors thrown by page handlers are shown as pages in the user's
 * language, not as JSON problems.
 *
 * @example
 * const res = await createApp(deps).request('/login'); // 200, the login page in Chinese
 */
import { Hono } from 'hono';
import type { AppEnv } from '../platform/http.ts';
import { adminPages } from './admin-pages.tsx';
import { assetRoutes } from './assets.ts';
import { auditPages } from './audit-pages.tsx';
import { authPages } from './auth-pages.tsx';
import { pageErrorHandler } from './guard.tsx';
import { importPages } from './import-page.tsx';
import { itemPages } from './items-pages.tsx';
import { orgPages } from './org-pages.tsx';
import { policyPages } from './policies-page.tsx';
import { staffPages } from './staff-pages.tsx';

export { IMPORT_MAX_BYTES } from './import-page.tsx';

export const webRoutes = new Hono<AppEnv>();

webRoutes.onError(pageErrorHandler);
webRoutes.route('/', assetRoutes);
webRoutes.route('/', authPages);
webRoutes.route('/', orgPages);
webRoutes.route('/', staffPages);
webRoutes.route('/', itemPages);
webRoutes.route('/', auditPages);
webRoutes.route('/', adminPages);
webRoutes.route('/', importPages);
webRoutes.route('/', policyPages);
