/**
 * What every report's figures are computed with: the database (or the generating transaction),
 * the bureau's time zone and the working-day calendar.
 */
import type { WorkingCalendar } from '../../calendar/index.ts';
import type { DbOrTx } from '../../db/client.ts';
import { listStaff } from '../../org/service.ts';

export interface FigureContext {
  db: DbOrTx;
  timeZone: string;
  calendar: WorkingCalendar;
}

/**
 * Names of the staff numbers given, for the internal reports (the public one names nobody).
 * Staff numbers not in the organisation are left out.
 */
export async function staffNames(
  db: DbOrTx,
  nos: Iterable<string | null | undefined>,
): Promise<Record<string, string>> {
  const wanted = new Set([...nos].filter((n): n is string => !!n));
  if (wanted.size === 0) return {};
  const out: Record<string, string> = {};
  for (const s of await listStaff(db)) if (wanted.has(s.no)) out[s.no] = s.name;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
