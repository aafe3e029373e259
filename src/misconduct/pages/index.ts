/**
 * The misconduct tracker's pages, mounted with `app.route('/', misconductPages)`: the public
 * complaint form and status lookup, the inspectors' list and matter pages, the leaders' queue,
 * the staff member's own record, HR's effects and the statistics. Errors thrown by a page
 * handler are shown as pages in the user's language.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../platform/http.ts';
import { pageErrorHandler } from '../../web/guard.tsx';
import { matterPages } from './matters.tsx';
import { publicPages } from './public.tsx';
import { recordPages } from './records.tsx';

export const misconductPages = new Hono<AppEnv>();

misconductPages.onError(pageErrorHandler);
misconductPages.route('/', publicPages);
// The fixed paths (/misconduct/queue, /mine, ...) before /misconduct/:id.
misconductPages.route('/', recordPages);
misconductPages.route('/', matterPages);
