/**
 * The rotation plan as a document (轮岗计划表): an `OfficialDocument` for the PDF and HTML renderers
 * of src/documents, and a CSV of the moves for spreadsheets. Wording from
 * `templates/documents/rotation-plan.yaml`.
 *
 * @example
 * const { pdf } = await renderPdf(planDocument(plan, { organ: '泉州市建设局', locale: 'zh-CN', postName }));
 * const csv = planCsv(plan, { locale: 'en' });
 */
import type { Block, DocLocale, OfficialDocument } from '../documents/index.ts';
import type { PlanRecord } from './service.ts';
import { planText } from './text.ts';

export interface DocOptions {
  organ: string;
  locale: DocLocale;
  /** Post names for codes (the document shows names). */
  postName?: (code: string) => string;
}

/** The plan as an official document; a draft says so in its note. */
export function planDocument(plan: PlanRecord, opts: DocOptions): OfficialDocument {
  const text = planText(opts.locale, opts.postName);
  const t = text.t;
  const result = plan.result;
  const moves = result.rounds.flatMap((r) => r.moves);
  const name = opts.postName ?? ((c: string) => c);
  const yesNo = (b: boolean) => t.render(b ? 'yes' : 'no');
  const blocks: Block[] = [];
  blocks.push({ kind: 'heading', level: 1, text: t.render('headings.summary') });
  blocks.push({
    kind: 'paragraph',
    text: t.render('summary', {
      date: plan.planDate,
      rounds: plan.rounds,
      pool: result.pool.staff,
      posts: result.pool.posts,
      moves: moves.length,
      required: moves.filter((m) => m.required).length,
      beyond: result.score.movesBeyondRequired,
      trainingDays: result.score.trainingDays,
    }),
  });
  const s = result.solver;
  blocks.push({
    kind: 'paragraph',
    text:
      s.status === 'optimal'
        ? t.render('solver.optimal', { objective: fmt(s.objective) })
        : t.render('solver.gap', { objective: fmt(s.objective), bound: fmt(s.bound), gap: fmt(s.gap) }),
  });

  blocks.push({ kind: 'heading', level: 1, text: t.render('headings.moves') });
  blocks.push({
    kind: 'table',
    columns: [
      { title: t.render('columns.round'), width: 1, align: 'center' },
      { title: t.render('columns.staff'), width: 1.3 },
      { title: t.render('columns.name'), width: 1.3 },
      { title: t.render('columns.from'), width: 3 },
      { title: t.render('columns.to'), width: 3 },
      { title: t.render('columns.required'), width: 1, align: 'center' },
      { title: t.render('columns.reasons'), width: 5 },
      { title: t.render('columns.training'), width: 3 },
    ],
    rows: moves.map((m) => [
      String(m.round),
      m.staff,
      m.staffName,
      text.slot(m.from, name),
      text.slot(m.to, name),
      yesNo(m.required),
      m.reasons.map((r) => text.reason(r)).join('; '),
      m.training
        ? t.render('trainingText', {
            businesses: m.training.businesses.join(', '),
            days: m.training.days,
            before: m.training.before,
          })
        : t.render('none'),
    ]),
  });

  const trainings = result.rounds.flatMap((r) => r.trainings);
  if (trainings.length) {
    blocks.push({ kind: 'heading', level: 1, text: t.render('headings.trainings') });
    blocks.push({
      kind: 'table',
      columns: [
        { title: t.render('columns.round'), width: 1, align: 'center' },
        { title: t.render('columns.staff'), width: 1.3 },
        { title: t.render('columns.name'), width: 1.3 },
        { title: t.render('columns.businesses'), width: 4 },
        { title: t.render('columns.days'), width: 1, align: 'right' },
        { title: t.render('columns.effective'), width: 1.6 },
      ],
      rows: trainings.map((x) => [
        String(x.round),
        x.staff,
        x.staffName,
        x.businesses.join(', '),
        String(x.days),
        x.before,
      ]),
    });
  }

  const last = result.rounds[result.rounds.length - 1];
  if (last) {
    const holder = (h: { holder: string | null; holderName: string | null; viaTraining: boolean }) =>
      h.holder
        ? `${h.holderName ?? ''}（${h.holder}）${h.viaTraining ? t.render('viaTraining') : ''}`
        : t.render('vacant');
    blocks.push({ kind: 'heading', level: 1, text: t.render('headings.coverage') });
    blocks.push({
      kind: 'table',
      columns: [
        { title: t.render('columns.post'), width: 4 },
        { title: t.render('columns.holderA'), width: 2.5 },
        { title: t.render('columns.holderB'), width: 2.5 },
        { title: t.render('columns.depth'), width: 1.2, align: 'right' },
      ],
      rows: last.coverageAfter.map((c) => [
        `${c.name}（${c.post}）`,
        holder(c.A),
        holder(c.B),
        String(c.competentStaff),
      ]),
    });
  }

  blocks.push({ kind: 'heading', level: 1, text: t.render('headings.unmet') });
  if (result.unmet.length === 0) blocks.push({ kind: 'paragraph', text: t.render('allKept') });
  else {
    blocks.push({
      kind: 'table',
      columns: [
        { title: t.render('columns.round'), width: 1, align: 'center' },
        { title: t.render('columns.rule'), width: 2 },
        { title: t.render('columns.detail'), width: 9 },
      ],
      rows: result.unmet.map((u) => [String(u.round), u.rule, text.unmet(u)]),
    });
  }

  const date = (plan.approvedAt ?? plan.createdAt).slice(0, 10);
  return {
    organ: opts.organ,
    number: plan.number,
    title: t.render('title', { year: plan.planDate.slice(0, 4) }),
    date,
    locale: opts.locale,
    blocks,
    signature: { organ: opts.organ, date },
    note:
      plan.state === 'draft'
        ? t.render('draftNote')
        : plan.approvedBy
          ? t.render('approvedBy', {
              approver: plan.approvedBy.replace(/^user:/, ''),
              at: (plan.approvedAt ?? '').slice(0, 10),
            })
          : undefined,
  };
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? String(Math.round(n)) : String(Math.round(n * 100) / 100));

/** The moves as CSV (RFC 4180, UTF-8 with a byte-order mark so spreadsheet programs read Chinese). */
export function planCsv(
  plan: PlanRecord,
  opts: { locale: DocLocale; postName?: (code: string) => string },
): string {
  const text = planText(opts.locale, opts.postName);
  const t = text.t;
  const header = ['round', 'effective', 'staff', 'name', 'from', 'to', 'required', 'reasons', 'training'].map(
    (k) => t.render(`columns.${k}`),
  );
  const rows = plan.result.rounds.flatMap((r) =>
    r.moves.map((m) => [
      String(m.round),
      m.effectiveDate,
      m.staff,
      m.staffName,
      m.from ? `${m.from.post}/${m.from.role}` : '',
      m.to ? `${m.to.post}/${m.to.role}` : '',
      t.render(m.required ? 'yes' : 'no'),
      m.reasons.map((x) => text.reason(x)).join('; '),
      m.training
        ? t.render('trainingText', {
            businesses: m.training.businesses.join(', '),
            days: m.training.days,
            before: m.training.before,
          })
        : '',
    ]),
  );
  const cell = (v: string) => {
    // A leading = + - @ would run as a formula in a spreadsheet: neutralise it.
    const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return `\ufeff${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
