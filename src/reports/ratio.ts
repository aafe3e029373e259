/**
 * Rates and averages that always carry their denominator. The source reports "17 days per item",
 * which is 935/54 (all 54 items), while 935/49 (the 49 items with a statutory limit) is 19.1: an
 * average without its denominator cannot be checked, so every figure here keeps both parts.
 *
 * @example
 * const r = ratio(935, 54);
 * formatPercent(ratio(36, 46)) // '78.3%'
 * formatAverage(r)             // '17.3'
 */

export interface Ratio {
  num: number;
  den: number;
}

export const ratio = (num: number, den: number): Ratio => ({ num, den });

/** num/den rounded to `digits` decimals, or null when there is no denominator. */
export function value(r: Ratio, digits = 1): number | null {
  if (!r.den) return null;
  const f = 10 ** digits;
  return Math.round((r.num / r.den) * f) / f;
}

/** '78.3%' (or '—' with no denominator). */
export function formatPercent(r: Ratio, digits = 1): string {
  if (!r.den) return '—';
  return `${((r.num / r.den) * 100).toFixed(digits)}%`;
}

/** '17.3' (or '—' with no denominator). */
export function formatAverage(r: Ratio, digits = 1): string {
  if (!r.den) return '—';
  return (r.num / r.den).toFixed(digits);
}
