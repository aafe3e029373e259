/** The daily bulletin (每日一通报) as document blocks. */
import type { Block } from '../../documents/index.ts';
import { pieChart } from '../charts.ts';
import type { DailyNumbers } from '../figures/index.ts';
import { noData } from './common.ts';
import type { Texts } from './text.ts';

export function dailyBody(n: DailyNumbers, tx: Texts, bureau: string) {
  const date = tx.date(n.period.from);
  const blocks: Block[] = [];
  if (!n.workingDay) blocks.push({ kind: 'paragraph', text: tx.t('notWorkingDay', { date }) });
  blocks.push({ kind: 'paragraph', text: tx.t('intro', { date }) });

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.flow') });
  const flowKeys = [
    'received',
    'receivedOnline',
    'accepted',
    'completed',
    'completedReturned',
    'returned',
    'supplementNotices',
  ] as const;
  blocks.push({
    kind: 'table',
    columns: [
      { title: tx.t('columns.figure'), width: 5 },
      { title: tx.t('columns.count'), width: 2, align: 'right' },
    ],
    rows: flowKeys.map((k) => [tx.t(`flow.${k}`), tx.n(n.flow[k])]),
  });

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.open') });
  const total = n.open.total;
  if (total.open === 0) {
    blocks.push({ kind: 'paragraph', text: tx.t('open.none') });
  } else {
    blocks.push({ kind: 'paragraph', text: tx.t('open.summary', { ...total }) });
    blocks.push({
      kind: 'table',
      columns: [
        { title: tx.t('columns.clerk'), width: 4 },
        ...(['open', 'green', 'yellow', 'red'] as const).map((k) => ({
          title: tx.t(`lights.${k}`),
          width: 1.5,
          align: 'right' as const,
        })),
      ],
      rows: Object.entries(n.open.byClerk).map(([clerk, l]) => [
        tx.staff(clerk || null, n.staff),
        tx.n(l.open),
        tx.n(l.green),
        tx.n(l.yellow),
        tx.n(l.red),
      ]),
    });
    const chart = pieChart({
      id: 'daily-lights',
      title: tx.t('headings.open'),
      slices: [
        { name: tx.t('lights.green'), value: total.green, color: '#3ba272' },
        { name: tx.t('lights.yellow'), value: total.yellow, color: '#e6b600' },
        { name: tx.t('lights.red'), value: total.red, color: '#d94e5d' },
      ],
    });
    blocks.push({ kind: 'svg', ...chart });
  }

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.redCards') });
  const cards = n.redCards;
  if (cards.raised === 0) {
    blocks.push({ kind: 'paragraph', text: tx.t('redCards.noneRaised', { open: cards.open }) });
  } else {
    blocks.push({
      kind: 'paragraph',
      text: tx.t('redCards.summary', { raised: cards.raised, open: cards.open }),
    });
    blocks.push({
      kind: 'table',
      columns: [
        { title: tx.t('columns.caseNo'), width: 3 },
        { title: tx.t('columns.clerk'), width: 3 },
        { title: tx.t('redCards.due'), width: 2 },
        { title: tx.t('redCards.resolution'), width: 2 },
      ],
      rows: cards.list.map((c) => [
        c.caseNo,
        tx.staff(c.staffNo, n.staff),
        c.committedDue ? tx.date(c.committedDue) : '—',
        c.resolution ? tx.label('redCards', c.resolution) : '',
      ]),
    });
  }

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.authority') });
  const denied = n.outsideAuthority;
  if (denied.events === 0) {
    blocks.push({ kind: 'paragraph', text: tx.t('authority.none') });
  } else {
    blocks.push({ kind: 'paragraph', text: tx.t('authority.summary', { n: denied.events }) });
    blocks.push({
      kind: 'table',
      columns: [
        { title: tx.t('authority.time'), width: 2 },
        { title: tx.t('columns.caseNo'), width: 3 },
        { title: tx.t('authority.action'), width: 2 },
        { title: tx.t('authority.actor'), width: 3 },
        { title: tx.t('authority.reasons'), width: 4 },
      ],
      rows: denied.list.map((d) => [
        d.at.slice(11),
        d.caseNo,
        tx.label('actions', d.action),
        tx.staff(d.actor, n.staff),
        d.reasons.join('; '),
      ]),
    });
    if (denied.events > denied.list.length)
      blocks.push({
        kind: 'paragraph',
        text: tx.t('authority.more', { n: denied.events - denied.list.length }),
      });
  }

  blocks.push({ kind: 'heading', level: 1, text: tx.t('headings.complaints') });
  if (n.complaints.available) {
    blocks.push({
      kind: 'paragraph',
      text: tx.t('complaints.summary', {
        received: n.complaints.data.received,
        complaints: n.complaints.data.complaints,
      }),
    });
  } else blocks.push(...noData(tx, n.complaints));

  return { title: tx.t('title', { bureau, date }), blocks };
}
