/**
 * A process-wide generation number of what authority decides from. Anything that changes
 * assignments, absences, the catalogue, suspensions or policies bumps it once its transaction has
 * committed; the cached engine is rebuilt on its next use. It has no imports, so the org module can
 * call it without depending on the rest of authority.
 *
 * @example
 * const result = await db.transaction(...); // org import
 * invalidateAuthority();
 */
let generation = 0;

/** Marks every cached authority engine as stale. */
export function invalidateAuthority(): void {
  generation++;
}

export const authorityGeneration = () => generation;
