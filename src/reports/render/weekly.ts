/** The weekly report (每周一报告) as document blocks. */
import type { Block } from '../../documents/index.ts';
import { barChart } from '../charts.ts';
import type { ItemWeek, WeeklyNumbers } from '../figures/index.ts';
import { value } from '../ratio.ts';
import { definitions, ratesTable } from './common.ts';
import type { Texts } from './text.ts';

/** How many items the per-item chart shows (the busiest); the table lists them all. */
export const CHART_ITEMS = 12;

/** Item rows: statutory, committed, shorter by, completed, average days used, late. */
export function itemsTable(tx: Texts, perItem: Record<string, ItemWeek>): Block {
  return {
    kind: 'table',
    columns: [
      { title: tx.t('columns.item'), width: 6 },
      { title: tx.t('columns.statutoryDays'), width: 1.5, align: 'right' },
      { title: tx.t('columns.committedDays'), width: 1.5, align: 'right' },
      { title: tx.t('columns.reduction'), width: 1.5, align: 'right' },
      { title: tx.t('columns.completed'), width: 1.5, align: 'right' },
      { title: tx.t('columns.avgDays'), width: 1.5, align: 'right' },
      { title: tx.t('columns.late'), width: 1.5, align: 'right' },
    ],
    rows: Object.entries(perItem).map(([code, i]) => [
      tx.locale === 'en' ? `${i.name} (${code})` : `${i.name}（${code}）`,
      tx.n(i.statutoryDays),
      tx.n(i.committedDays),
      i.statutoryDays > 0 ? tx.n(i.statutoryDays - i.committedDays) : '—',
      tx.n(i.outcomes.completed),
      tx.avg(i.outcomes.daysUsed),
      tx.n(i.outcomes.onTime.den - i.outcomes.onTime.num),
    ]),
  };
}

/** The busiest items: statutory and committed limits against the average days used. */
export function itemsChart(tx: Texts, id: string, perItem: Record<string, ItemWeek>): Block | null {
  const busiest = Object.values(perItem)
    .sort((a, b) => b.outcomes.completed - a.outcomes.completed || a.name.localeCompare(b.name))
    .slice(0, CHART_ITEMS);
  if (busiest.length === 0) return null;
  const chart = barChart({
    id,
    title: tx.t('itemChart.title'),
    categories: busiest.map((i) => i.name),
    horizontal: true,
    series: [
      { name: tx.t('itemChart.statutory'), data: busiest.map((i) => i.statutoryDays) },
      { name: tx.t('itemChart.committed'), data: busiest.map((i) => i.committedDays) },
      { name: tx.t('itemChart.used'), data: busiest.map((i) => value(i.outcomes.daysUsed, 2)) },
    ],
  });
  return { kind: 'svg', ...chart };
}

export function weeklyBody(n: WeeklyNumbers, tx: Texts, bureau: string) {
  const o = n.outcomes;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: tx.t('intro', {
        week: n.period.key,
        received: tx.n(n.received.received),
        online: tx.n(n.received.online),
        completed: tx.n(o.completed),
        returned: tx.n(o.returned),
      }),
    },
    { kind: 'heading', level: 1, text: tx.t('headings.rates') },
    { kind: 'paragraph', text: tx.t('rates.intro', { onTime: tx.rate(o.onTime), early: tx.rate(o.early) }) },
    ratesTable(tx, o),
    { kind: 'heading', level: 1, text: tx.t('headings.items') },
  ];
  if (Object.keys(n.perItem).length === 0) {
    blocks.push({ kind: 'paragraph', text: tx.t('items.none') });
  } else {
    blocks.push({ kind: 'paragraph', text: tx.t('items.intro') }, itemsTable(tx, n.perItem));
    const chart = itemsChart(tx, 'weekly-items', n.perItem);
    if (chart) blocks.push(chart);
  }

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.latest') });
  if (n.latest.length === 0) blocks.push({ kind: 'paragraph', text: tx.t('items.none') });
  else {
    blocks.push({
      kind: 'table',
      columns: [
        { title: tx.t('columns.caseNo'), width: 3 },
        { title: tx.t('columns.item'), width: 4 },
        { title: tx.t('columns.clerk'), width: 2.5 },
        { title: tx.t('latest.completedOn'), width: 2.5 },
        { title: tx.t('latest.used'), width: 1.5, align: 'right' },
        { title: tx.t('latest.result'), width: 1.5 },
      ],
      rows: n.latest.map((c) => [
        c.caseNo,
        n.perItem[c.item]?.name ?? c.item,
        tx.staff(c.clerk, n.staff),
        tx.date(c.completedOn),
        `${c.daysUsed ?? '—'}/${c.committedDays}`,
        c.result ? tx.label('results', c.result) : '',
      ]),
    });
  }

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.clerks') });
  blocks.push({ kind: 'paragraph', text: tx.t('clerks.intro') });
  blocks.push({
    kind: 'table',
    columns: [
      { title: tx.t('columns.clerk'), width: 4 },
      { title: tx.t('columns.received'), width: 1.5, align: 'right' },
      { title: tx.t('columns.completed'), width: 1.5, align: 'right' },
      { title: tx.t('clerks.openAtEnd'), width: 1.5, align: 'right' },
      { title: tx.t('clerks.red'), width: 1.5, align: 'right' },
      { title: tx.t('columns.avgDays'), width: 1.5, align: 'right' },
    ],
    rows: Object.entries(n.clerks).map(([clerk, l]) => [
      tx.staff(clerk || null, n.staff),
      tx.n(l.received),
      tx.n(l.completed),
      tx.n(l.open),
      tx.n(l.red),
      tx.avg(l.daysUsed),
    ]),
  });
  blocks.push(...definitions(tx, ['onTime', 'early', 'statutory', 'closed', 'days']));
  return {
    title: tx.t('title', { bureau, from: tx.date(n.period.from), to: tx.date(n.period.to) }),
    blocks,
  };
}
