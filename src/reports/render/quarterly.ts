/**
 * The quarterly publication (每季度一公布) as document blocks. Everything here is public: it is
 * built from `QuarterlyNumbers`, which holds counts and rates only, so no name or number of a
 * person can reach the page.
 */
import type { Block } from '../../documents/index.ts';
import { barChart, pieChart } from '../charts.ts';
import type { QuarterlyNumbers } from '../figures/index.ts';
import { formatPercent, value } from '../ratio.ts';
import { definitions, noData } from './common.ts';
import { catalogueData } from './monthly.ts';
import type { Texts } from './text.ts';

export function quarterlyBody(n: QuarterlyNumbers, tx: Texts, bureau: string) {
  const [year, q] = n.period.key.split('-Q');
  const blocks: Block[] = [
    { kind: 'paragraph', text: tx.t('intro', { from: tx.date(n.period.from), to: tx.date(n.period.to) }) },
    { kind: 'heading', level: 1, text: tx.t('headings.service') },
    {
      kind: 'paragraph',
      text: tx.t('service.summary', {
        received: tx.n(n.received),
        completed: tx.n(n.completed),
        onTime: tx.rate(n.onTime),
        early: tx.rate(n.early),
        statutory: tx.rate(n.withinStatutory),
      }),
    },
  ];
  const months = Object.keys(n.months);
  blocks.push({
    kind: 'table',
    columns: [
      { title: tx.t('columns.month'), width: 2 },
      { title: tx.t('columns.received'), width: 1.5, align: 'right' },
      { title: tx.t('columns.completed'), width: 1.5, align: 'right' },
      { title: tx.t('columns.onTime'), width: 3, align: 'right' },
      { title: tx.t('columns.early'), width: 3, align: 'right' },
    ],
    rows: months.map((m) => {
      const r = n.months[m];
      return [m, tx.n(r.received), tx.n(r.completed), tx.rateCell(r.onTime), tx.rateCell(r.early)];
    }),
  });
  blocks.push({
    kind: 'svg',
    ...barChart({
      id: 'quarterly-rates',
      title: tx.t('service.chart'),
      categories: months,
      axisName: '%',
      max: 100,
      series: [
        {
          name: tx.t('columns.onTime'),
          data: months.map((m) => value({ num: n.months[m].onTime.num * 100, den: n.months[m].onTime.den })),
        },
        {
          name: tx.t('columns.early'),
          data: months.map((m) => value({ num: n.months[m].early.num * 100, den: n.months[m].early.den })),
        },
      ],
    }),
  });

  const cat = catalogueData(tx, n.catalogue);
  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.online') });
  blocks.push({
    kind: 'paragraph',
    text: tx.t('online.summary', { ...cat, onlineCases: formatPercent(n.onlineCases) }),
  });
  blocks.push({
    kind: 'svg',
    ...pieChart({
      id: 'quarterly-online',
      title: tx.t('online.chart'),
      slices: [
        { name: tx.t('online.online'), value: n.onlineCases.num },
        { name: tx.t('online.window'), value: n.onlineCases.den - n.onlineCases.num },
      ],
    }),
  });
  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.limits') });
  blocks.push({ kind: 'paragraph', text: tx.t('limits.summary', cat) });

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.complaints') });
  if (n.complaints.available) {
    const c = n.complaints.data;
    blocks.push({
      kind: 'paragraph',
      text: tx.t('complaints.summary', {
        complaints: tx.n(c.complaints),
        received: tx.n(c.received),
        handled: tx.n(c.handled),
        decisions: tx.n(c.decisions),
      }),
    });
    const levels = Object.entries(c.byLevel);
    if (levels.length === 0) blocks.push({ kind: 'paragraph', text: tx.t('complaints.noDecisions') });
    else
      blocks.push({
        kind: 'table',
        columns: [
          { title: tx.t('complaints.levels'), width: 5 },
          { title: tx.t('complaints.persons'), width: 2, align: 'right' },
        ],
        rows: levels.map(([k, count]) => [tx.level(k), tx.n(count)]),
      });
  } else blocks.push(...noData(tx, n.complaints));

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.rotation') });
  if (n.rotation.available) {
    blocks.push({
      kind: 'paragraph',
      text: tx.t('rotation.summary', {
        moves: tx.n(n.rotation.data.moves),
        staff: tx.n(n.rotation.data.staff),
      }),
    });
  } else blocks.push(...noData(tx, n.rotation));

  blocks.push(...definitions(tx, ['onTime', 'early', 'statutory', 'catalogue']));
  return {
    title: tx.t('title', { bureau, year, quarter: q }),
    blocks,
    note: tx.t('note'),
  };
}
