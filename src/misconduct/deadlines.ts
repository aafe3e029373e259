/**
 * Stage deadlines and their lights. Each stage of a matter has a number of working days in the
 * policy; the light is yellow from the working day before it is due and red once it has passed
 * (the same rule as a case's light).
 *
 * @example
 * stageDue(policy, 'investigating', '2026-03-02')  // '2026-03-30' (20 working days)
 * stageLight('2026-03-30', '2026-03-27')           // 'yellow'
 */
import { getCalendar } from '../calendar/index.ts';
import type { MisconductPolicy } from './policy.ts';
import type { MatterState } from './schema.ts';

export type Light = 'green' | 'yellow' | 'red' | 'none';

/** The day a stage entered on `since` is due; null for a closed matter. */
export function stageDue(policy: MisconductPolicy, state: MatterState, since: string): string | null {
  if (state === 'closed') return null;
  return addWorkingDays(since, policy.deadlines[state]);
}

export const addWorkingDays = (from: string, n: number) => getCalendar().addWorkingDays(from, n).date;

/** Green, yellow from the working day before `due`, red after it; none without a deadline. */
export function stageLight(due: string | null, today: string): Light {
  if (!due) return 'none';
  if (today > due) return 'red';
  if (today >= getCalendar().previousWorkingDay(due).date) return 'yellow';
  return 'green';
}
