/**
 * Figures of the item catalogue (src/org/service.ts `listItems`), as the source reports them:
 * how many items, how many at the window and online, and how much shorter the committed limits
 * are than the statutory ones. The source's "17 days per item" is 935/54 (all 54 items), while
 * over the 49 items that have a statutory limit it is 935/49 = 19.1: both are given, each with
 * its denominator.
 *
 * The catalogue is small (dozens of items), so this is plain arithmetic over its rows.
 *
 * @example
 * const c = catalogueFigures(await listItems(db), '2026-03-31');
 * c.reduction            // { num: 935, den: 49 }  (days shorter, over items with a statutory limit)
 * c.reductionPerItem     // { num: 935, den: 54 }  (17.3 per item over all items)
 * c.onlineShare          // { num: 36, den: 46 }   (78.3% of the window's items)
 */
import type { Ratio } from './ratio.ts';
import { ratio } from './ratio.ts';

/** What the reports need of an item (a row of `listItems`). */
export interface CatalogueItem {
  code: string;
  name: string;
  business: string;
  kind: string;
  statutoryDays: number;
  committedDays: number;
  online: boolean;
  atWindow: boolean;
  active: boolean;
  inactiveFrom: string | null;
}

export interface ItemLimits {
  name: string;
  business: string;
  kind: string;
  statutoryDays: number;
  committedDays: number;
  /** statutory - committed, for items with a statutory limit; 0 otherwise. */
  reduction: number;
  online: boolean;
  atWindow: boolean;
}

export interface CatalogueFigures {
  /** Items in the catalogue during the period. */
  items: number;
  byKind: Record<string, number>;
  atWindow: number;
  /** Items at the window handled online (网上审批). */
  onlineAtWindow: number;
  /** Of the window's items, the share handled online: the source's 36 of 46. */
  onlineShare: Ratio;
  /** Items with a statutory limit (statutory days > 0). */
  withStatutory: number;
  /** Working days the committed limits are shorter, summed over the items with a statutory limit / those items. */
  reduction: Ratio;
  /** The same sum over all items (the source's "17 days per item"). */
  reductionPerItem: Ratio;
  /** Sum of statutory and committed limits over the items with a statutory limit. */
  statutoryTotal: Ratio;
  committedTotal: Ratio;
  perItem: Record<string, ItemLimits>;
}

/** The catalogue as it stood at the end of a period: active items, and those retired after it. */
export function catalogueFigures(all: readonly CatalogueItem[], asOf: string): CatalogueFigures {
  const items = all.filter((i) => i.active || (i.inactiveFrom !== null && i.inactiveFrom > asOf));
  const byKind: Record<string, number> = {};
  const perItem: Record<string, ItemLimits> = {};
  let atWindow = 0;
  let onlineAtWindow = 0;
  let withStatutory = 0;
  let reduction = 0;
  let statutory = 0;
  let committed = 0;
  for (const i of items) {
    byKind[i.kind] = (byKind[i.kind] ?? 0) + 1;
    if (i.atWindow) atWindow++;
    if (i.atWindow && i.online) onlineAtWindow++;
    const cut = i.statutoryDays > 0 ? i.statutoryDays - i.committedDays : 0;
    if (i.statutoryDays > 0) {
      withStatutory++;
      reduction += cut;
      statutory += i.statutoryDays;
      committed += i.committedDays;
    }
    perItem[i.code] = {
      name: i.name,
      business: i.business,
      kind: i.kind,
      statutoryDays: i.statutoryDays,
      committedDays: i.committedDays,
      reduction: cut,
      online: i.online,
      atWindow: i.atWindow,
    };
  }
  return {
    items: items.length,
    byKind,
    atWindow,
    onlineAtWindow,
    onlineShare: ratio(onlineAtWindow, atWindow),
    withStatutory,
    reduction: ratio(reduction, withStatutory),
    reductionPerItem: ratio(reduction, items.length),
    statutoryTotal: ratio(statutory, withStatutory),
    committedTotal: ratio(committed, withStatutory),
    perItem,
  };
}
