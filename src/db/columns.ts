/**
 * Column kinds every module's schema uses: an instant (timestamptz, a Date in JavaScript) and a
 * local calendar day (date, a `YYYY-MM-DD` string, never shifted by a time zone).
 *
 * @example
 * receivedAt: tstz('received_at').notNull(), receivedOn: day('received_on')
 */
import { date, timestamp } from 'drizzle-orm/pg-core';

export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
export const day = (name: string) => date(name, { mode: 'string' });
