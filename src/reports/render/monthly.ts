/** The monthly analysis (每月一分析) as document blocks, with its charts. */
import type { Block } from '../../documents/index.ts';
import type { CatalogueFigures } from '../catalogue.ts';
import { barChart, pieChart, trendChart } from '../charts.ts';
import type { MonthlyNumbers } from '../figures/index.ts';
import { formatAverage, formatPercent, ratio, value } from '../ratio.ts';
import { definitions, noData, ratesTable } from './common.ts';
import type { Texts } from './text.ts';
import { itemsChart, itemsTable } from './weekly.ts';

const monthLabel = (tx: Texts, key: string) => {
  const [y, m] = key.split('-').map(Number);
  return tx.locale === 'zh-CN'
    ? `${y}年${m}月`
    : `${['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'][m - 1]} ${y}`;
};

/** The catalogue sentence: counts, online share and the reductions with both denominators. */
export function catalogueData(
  tx: Texts,
  c: Pick<
    CatalogueFigures,
    'items' | 'atWindow' | 'onlineShare' | 'withStatutory' | 'reduction' | 'reductionPerItem'
  >,
) {
  return {
    items: tx.n(c.items),
    atWindow: tx.n(c.atWindow),
    onlineAtWindow: tx.n(c.onlineShare.num),
    onlineShare: formatPercent(c.onlineShare),
    withStatutory: tx.n(c.withStatutory),
    reduction: tx.n(c.reduction.num),
    perAll: formatAverage(c.reductionPerItem),
    perStatutory: formatAverage(c.reduction),
  };
}

export function monthlyBody(n: MonthlyNumbers, tx: Texts, bureau: string) {
  const month = n.received;
  const o = n.outcomes;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: tx.t('intro', {
        received: tx.n(month.received),
        online: tx.n(month.online),
        onlineShare: formatPercent(ratio(month.online, month.received)),
        completed: tx.n(o.completed),
        onTime: tx.rate(o.onTime),
        early: tx.rate(o.early),
        avgDays: tx.avg(o.daysUsed),
      }),
    },
  ];

  // 1. Twelve months.
  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.trend') });
  blocks.push({ kind: 'paragraph', text: tx.t('trend.intro') });
  const rows = n.months.map((m) => n.trend[m]);
  blocks.push({
    kind: 'svg',
    ...trendChart({
      id: 'monthly-trend',
      title: tx.t('trend.chart'),
      categories: n.months.map((m) => m.slice(2)),
      bars: [
        { name: tx.t('columns.received'), data: rows.map((r) => r.received) },
        { name: tx.t('columns.completed'), data: rows.map((r) => r.completed) },
      ],
      lines: [
        { name: tx.t('columns.onTime'), data: rows.map((r) => pct(r.onTime)) },
        { name: tx.t('columns.early'), data: rows.map((r) => pct(r.early)) },
      ],
      countAxis: tx.t('trend.countAxis'),
      percentAxis: tx.t('trend.percentAxis'),
    }),
  });
  blocks.push({
    kind: 'table',
    columns: [
      { title: tx.t('columns.month'), width: 2 },
      ...(['received', 'online', 'completed'] as const).map((k) => ({
        title: tx.t(`columns.${k}`),
        width: 1.4,
        align: 'right' as const,
      })),
      { title: tx.t('columns.onTime'), width: 1.8, align: 'right' },
      { title: tx.t('columns.early'), width: 1.8, align: 'right' },
      { title: tx.t('columns.avgDays'), width: 1.4, align: 'right' },
    ],
    rows: n.months.map((m) => {
      const r = n.trend[m];
      return [
        m,
        tx.n(r.received),
        tx.n(r.online),
        tx.n(r.completed),
        tx.rateCell(r.onTime),
        tx.rateCell(r.early),
        tx.avg(r.daysUsed),
      ];
    }),
  });

  // 2. This month's rates.
  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.rates') }, ratesTable(tx, o));

  // 3. The catalogue's figures, then 4. per item.
  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.catalogue') });
  blocks.push({ kind: 'paragraph', text: tx.t('catalogue.summary', catalogueData(tx, n.catalogue)) });
  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.items') });
  if (Object.keys(n.perItem).length === 0) blocks.push({ kind: 'paragraph', text: tx.t('items.none') });
  else {
    blocks.push({ kind: 'paragraph', text: tx.t('items.intro') }, itemsTable(tx, n.perItem));
    const chart = itemsChart(tx, 'monthly-items', n.perItem);
    if (chart) blocks.push(chart);
  }

  // 5. Online.
  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.online') });
  blocks.push({
    kind: 'paragraph',
    text: tx.t('online.summary', {
      online: tx.n(month.online),
      received: tx.n(month.received),
      share: formatPercent(ratio(month.online, month.received)),
      atWindow: tx.n(n.catalogue.atWindow),
      onlineAtWindow: tx.n(n.catalogue.onlineShare.num),
      onlineShare: formatPercent(n.catalogue.onlineShare),
    }),
  });
  blocks.push({
    kind: 'svg',
    ...pieChart({
      id: 'monthly-online',
      title: tx.t('online.chart'),
      slices: [
        { name: tx.t('online.online'), value: n.catalogue.onlineShare.num },
        { name: tx.t('online.window'), value: n.catalogue.onlineShare.den - n.catalogue.onlineShare.num },
      ],
    }),
  });

  // 6. Verification, 7. misconduct, 8. rotation.
  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.verification') });
  if (n.verification.available) {
    const v = n.verification.data;
    blocks.push({
      kind: 'paragraph',
      text: tx.t('verification.summary', {
        run: v.runId,
        cases: tx.n(v.cases),
        failures: tx.n(v.failures),
        failedCases: tx.n(v.failedCases),
      }),
    });
    if (Object.keys(v.byCheck).length)
      blocks.push({
        kind: 'table',
        columns: [
          { title: tx.t('verification.check'), width: 5 },
          { title: tx.t('verification.failures'), width: 2, align: 'right' },
        ],
        rows: Object.entries(v.byCheck).map(([check, count]) => [tx.label('checks', check), tx.n(count)]),
      });
  } else blocks.push(...noData(tx, n.verification));

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.misconduct') });
  if (n.misconduct.available) {
    const m = n.misconduct.data;
    blocks.push({
      kind: 'paragraph',
      text: tx.t('misconduct.summary', {
        received: tx.n(m.received),
        complaints: tx.n(m.complaints),
        decisions: tx.n(m.decisions),
      }),
    });
    if (Object.keys(m.bySource).length)
      blocks.push({
        kind: 'table',
        caption: tx.t('misconduct.bySource'),
        columns: [
          { title: tx.t('misconduct.source'), width: 5 },
          { title: tx.t('columns.count'), width: 2, align: 'right' },
        ],
        rows: Object.entries(m.bySource).map(([k, c]) => [tx.label('sources', k), tx.n(c)]),
      });
    if (Object.keys(m.byLevel).length) {
      const levels = Object.entries(m.byLevel);
      blocks.push({
        kind: 'table',
        caption: tx.t('misconduct.byLevel'),
        columns: [
          { title: tx.t('misconduct.level'), width: 5 },
          { title: tx.t('columns.count'), width: 2, align: 'right' },
        ],
        rows: levels.map(([k, c]) => [tx.level(k), tx.n(c)]),
      });
      blocks.push({
        kind: 'svg',
        ...barChart({
          id: 'monthly-levels',
          title: tx.t('misconduct.chart'),
          categories: levels.map(([k]) => tx.level(k)),
          series: [{ name: tx.t('misconduct.level'), data: levels.map(([, c]) => c) }],
          horizontal: true,
        }),
      });
    }
  } else blocks.push(...noData(tx, n.misconduct));

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.rotation') });
  if (n.rotation.available) {
    const r = n.rotation.data;
    blocks.push({
      kind: 'paragraph',
      text: tx.t('rotation.summary', {
        moves: tx.n(r.moves),
        staff: tx.n(r.staff),
        required: tx.n(r.required),
        plans: tx.n(r.plans),
      }),
    });
  } else blocks.push(...noData(tx, n.rotation));

  blocks.push(...definitions(tx, ['onTime', 'early', 'statutory', 'closed', 'days', 'catalogue']));
  return { title: tx.t('title', { bureau, month: monthLabel(tx, n.period.key) }), blocks };
}

/** A rate as a percentage number for a chart, or null when there is nothing to divide by. */
function pct(r: { num: number; den: number }): number | null {
  const v = value({ num: r.num * 100, den: r.den }, 1);
  return v;
}
