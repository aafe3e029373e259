/**
 * Routes of the calendar: deadline arithmetic in working days for the approval system and the
 * web pages. Every answer names the calendar version that produced it, so a stored deadline can
 * be traced back to the files it came from.
 *
 * @example
 * GET /api/calendar/add?from=2026-02-12&days=5
 * // 200 {"date":"2026-02-26","calendarMissing":false,"calendarVersion":"…"}
 * GET /api/calendar/count?from=2026-02-12&to=2026-02-26
 * // 200 {"days":5,"calendarMissing":false,"calendarVersion":"…"}
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, guard, validationHook } from '../platform/http.ts';
import { isDateString } from './dates.ts';
import { getCalendar } from './index.ts';

/** The most working days a question may span: ten years, far beyond any statutory limit. */
export const MAX_DAYS = 3650;

// Years 1900-2999: wide enough for any case, narrow enough that MAX_DAYS never leaves year 9999.
const date = (name: string, description: string) =>
  z
    .string()
    .regex(/^(19|2\d)\d{2}-\d{2}-\d{2}$/, {
      message: 'must be a date YYYY-MM-DD between 1900 and 2999',
      abort: true,
    })
    .refine(isDateString, { message: 'not a calendar date', abort: true })
    .openapi({ param: { name, in: 'query' }, description, example: '2026-02-12' });

// Digits only: `z.coerce.number()` would read "" as 0 and "1e3" as 1000.
const days = z
  .string()
  .regex(/^\d+$/, 'must be a whole number of working days, 0 or more')
  .transform(Number)
  .pipe(z.number().int().max(MAX_DAYS, `must be at most ${MAX_DAYS}`))
  .openapi({
    param: { name: 'days', in: 'query' },
    description: `working days, 0 to ${MAX_DAYS}; 0 is an instant item, due the same day`,
    example: '5',
  });

const flags = {
  calendarMissing: z.boolean().openapi({
    description: 'a year the answer depended on has no calendar file; its days were judged by weekends alone',
  }),
  calendarVersion: z.string().openapi({ description: 'SHA-256 of the calendar files that gave the answer' }),
};

export const calendarRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

calendarRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/calendar/add',
    tags: ['calendar'],
    summary: 'The N-th working day after a date (the date itself not counted; 0 days gives the date)',
    middleware: [guard('read', 'Calendar')] as const,
    request: {
      query: z.object({ from: date('from', 'the day the period starts from (not counted)'), days }),
    },
    responses: {
      200: {
        description: 'the due date',
        content: {
          'application/json': {
            schema: z.object({ date: z.string().openapi({ example: '2026-02-26' }), ...flags }),
          },
        },
      },
    },
  }),
  (c) => {
    const { from, days: n } = c.req.valid('query');
    const calendar = getCalendar();
    return c.json({ ...calendar.addWorkingDays(from, n), calendarVersion: calendar.version }, 200);
  },
);

calendarRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/calendar/count',
    tags: ['calendar'],
    summary: 'Working days after `from` up to and including `to` (negative when `to` is earlier)',
    middleware: [guard('read', 'Calendar')] as const,
    request: {
      query: z.object({
        from: date('from', 'the first day (not counted)'),
        to: date('to', 'the last day (counted)'),
      }),
    },
    responses: {
      200: {
        description: 'the number of working days',
        content: {
          'application/json': {
            schema: z.object({ days: z.number().int().openapi({ example: 5 }), ...flags }),
          },
        },
      },
    },
  }),
  (c) => {
    const { from, to } = c.req.valid('query');
    const calendar = getCalendar();
    return c.json({ ...calendar.countWorkingDays(from, to), calendarVersion: calendar.version }, 200);
  },
);
