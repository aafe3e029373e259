/**
 * Blocks every report ends with or reuses: the rates table (each rate with numerator and
 * denominator), the definitions, the changes against the previous version, the note on how and
 * when the report was made, and "no data yet" for a module that has none.
 */
import type { Block } from '../../documents/index.ts';
import type { Outcomes } from '../ledger.ts';
import type { StoredChange } from '../schema.ts';
import type { Section } from '../sources.ts';
import type { Texts } from './text.ts';

/** How many changes a document lists; the rest are counted (the page lists them all). */
export const CHANGES_LISTED = 60;

/** On time, early, within statutory, average days, closed before acceptance. */
export function ratesTable(tx: Texts, o: Outcomes): Block {
  const row = (key: string, r: { num: number; den: number }, value: string) => [
    tx.t(`figures.${key}`),
    value,
    tx.n(r.num),
    tx.n(r.den),
  ];
  return {
    kind: 'table',
    columns: [
      { title: tx.t('columns.figure'), width: 4 },
      { title: tx.t('columns.value'), width: 2, align: 'right' },
      { title: tx.t('columns.numerator'), width: 2, align: 'right' },
      { title: tx.t('columns.denominator'), width: 2, align: 'right' },
    ],
    rows: [
      row('onTime', o.onTime, tx.pct(o.onTime)),
      row('early', o.early, tx.pct(o.early)),
      row('statutory', o.withinStatutory, tx.pct(o.withinStatutory)),
      row('avgDays', o.daysUsed, tx.avg(o.daysUsed)),
      [tx.t('figures.closed'), tx.n(o.withoutDeadline), '', ''],
    ],
  };
}

export function definitions(tx: Texts, keys: string[]): Block[] {
  return [
    { kind: 'heading', level: 1, text: tx.t('definitions.heading') },
    ...keys.map((k): Block => ({ kind: 'paragraph', text: tx.t(`definitions.${k}`) })),
  ];
}

/** "No data yet: the verification module ...", or the reason the template names. */
export function noData(tx: Texts, section: Section<unknown>): Block[] {
  if (section.available) return [];
  const text = tx.has(`noDataReasons.${section.reason}`)
    ? tx.t(`noDataReasons.${section.reason}`)
    : tx.t('noData', { module: tx.t(`modules.${section.reason}`) });
  return [{ kind: 'paragraph', text }];
}

const show = (v: unknown) =>
  v === undefined ? '—' : v === null ? 'null' : typeof v === 'string' ? v : JSON.stringify(v);

/** The changes against the previous version, as a section (nothing for a first version). */
export function changesBlocks(
  tx: Texts,
  version: number,
  previous: { version: number; changes: StoredChange[] } | null,
): Block[] {
  if (!previous) return [];
  const blocks: Block[] = [
    // Unnumbered: it stands before the report's own sections, which keep their numbers.
    {
      kind: 'heading',
      level: 1,
      numbered: false,
      text: tx.t('changes.heading', { previous: previous.version }),
    },
  ];
  if (previous.changes.length === 0) {
    blocks.push({ kind: 'paragraph', text: tx.t('changes.same', { version, previous: previous.version }) });
    return blocks;
  }
  blocks.push({
    kind: 'paragraph',
    text: tx.t('changes.intro', { version, previous: previous.version, n: previous.changes.length }),
  });
  blocks.push({
    kind: 'table',
    columns: [
      { title: tx.t('changes.columns.figure'), width: 5 },
      { title: tx.t('changes.columns.before'), width: 2, align: 'right' },
      { title: tx.t('changes.columns.after'), width: 2, align: 'right' },
    ],
    rows: previous.changes.slice(0, CHANGES_LISTED).map((c) => [c.path, show(c.before), show(c.after)]),
  });
  if (previous.changes.length > CHANGES_LISTED) {
    blocks.push({
      kind: 'paragraph',
      text: tx.t('changes.more', { n: previous.changes.length - CHANGES_LISTED }),
    });
  }
  return blocks;
}
