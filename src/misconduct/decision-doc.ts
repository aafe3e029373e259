/**
 * Decision documents (处理决定书) and appeal review decisions (复核决定书): one per person
 * concerned, worded from `templates/documents/decision.yaml`, rendered by src/documents and issued
 * through the document registry (gap-free number such as 泉建纪〔2026〕3号, SHA-256 of the PDF,
 * QR code to the public verify page).
 *
 * @example
 * // inside decideMatter's transaction:
 * const docs = await issueDecisionDocuments(tx, ctx, matter, { kind: 'decision' });
 * // [{ staff: 'S003', number: '泉建纪〔2026〕3号', sha256: '9f2c...' }]
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import {
  type Block,
  type DocLocale,
  formatDocDate,
  loadTemplate,
  type OfficialDocument,
  paragraphs,
} from '../documents/index.ts';
import { issueDocument } from '../documents/registry.ts';
import { getStaff } from '../org/service.ts';
import { actorString, type Ctx, type Matter } from './common.ts';
import { effectsOf, levelName } from './policy.ts';
import { misconductPersons } from './schema.ts';

export const DECISION_KIND = 'misconduct-decision';
export const APPEAL_KIND = 'misconduct-appeal-decision';

export interface AppealInfo {
  outcome: 'upheld' | 'changed' | 'revoked';
  reason: string;
  decidedBy: string;
  decidedOn: string;
}

const displayLevel = (level: number | null, exempt: boolean) => (exempt ? ('exempt' as const) : (level ?? 0));

/** Builds the document of one person; pure apart from the template and names it is given. */
export function buildDecisionDocument(input: {
  ctx: Ctx;
  matter: Matter;
  person: typeof misconductPersons.$inferSelect;
  name: string;
  decider: string;
  number: string;
  date: string;
  locale?: DocLocale;
  appeal?: AppealInfo & { original: string | null };
}): OfficialDocument {
  const { ctx, matter: m, person: p, name, decider, number, date } = input;
  const locale = input.locale ?? 'zh-CN';
  const t = loadTemplate('decision', locale);
  const level = displayLevel(p.finalLevel, p.finalExempt);
  const fault = ctx.policy.faultTypes.find((f) => f.code === (m.proposal?.faultType ?? m.faultType));
  const severity =
    ctx.policy.severities.find((s) => s.code === m.proposal?.severity) ?? ctx.policy.severities[0];
  const share = ctx.policy.responsibility.find((r) => r.code === p.responsibility);
  const blocks: Block[] = [
    { kind: 'paragraph', text: t.render('intro', { matter: m.id, kind: t.render(`kinds.${m.kind}`) }) },
    {
      kind: 'keyValue',
      rows: [
        [t.render('labels.matter'), String(m.id)],
        [t.render('labels.cases'), m.cases.length ? m.cases.join(', ') : t.render('labels.none')],
        [
          t.render('labels.fault'),
          fault ? `${fault.name[locale]}（${severity.name[locale]}）` : t.render('labels.none'),
        ],
        [t.render('labels.responsibility'), share ? share.name[locale] : p.responsibility],
      ],
    },
    { kind: 'heading', level: 1, text: t.render('headings.facts') },
    ...paragraphs(m.facts),
  ];
  if (m.proposal?.summary)
    blocks.push(
      { kind: 'heading', level: 1, text: t.render('headings.findings') },
      ...paragraphs(m.proposal.summary),
    );
  if (p.lines.length) {
    blocks.push({ kind: 'heading', level: 1, text: t.render('headings.grounds') });
    blocks.push({
      kind: 'table',
      columns: [
        { title: t.render('labels.line'), width: 4 },
        { title: t.render('labels.delta'), width: 1, align: 'center' },
      ],
      rows: p.lines.map((l) => [l.text, l.delta > 0 ? `+${l.delta}` : String(l.delta)]),
    });
    if (p.departureReason)
      blocks.push({ kind: 'paragraph', text: t.render('decision.departure', { reason: p.departureReason }) });
    if (p.decisionReason)
      blocks.push({ kind: 'paragraph', text: t.render('decision.departure', { reason: p.decisionReason }) });
  }
  if (input.appeal) {
    blocks.push({ kind: 'heading', level: 1, text: t.render('headings.appeal') });
    blocks.push({
      kind: 'paragraph',
      text: t.render(`appeal.${input.appeal.outcome}`, {
        original: input.appeal.original ?? '-',
        reason: input.appeal.reason,
      }),
    });
  }
  blocks.push({ kind: 'heading', level: 1, text: t.render('headings.decision') });
  const data = {
    decider,
    name,
    level: typeof level === 'number' ? level : 0,
    levelName: levelName(ctx.policy, level, locale),
  };
  blocks.push({
    kind: 'paragraph',
    text: t.render(
      level === 'exempt' ? 'decision.exempt' : level === 0 ? 'decision.none' : 'decision.level',
      data,
    ),
  });
  const effects =
    typeof level === 'number'
      ? effectsOf(ctx.policy, level).filter((e) => e !== 'suspend_until_decided')
      : [];
  if (effects.length) {
    const year = Number((m.decidedOn ?? date).slice(0, 4));
    const list = effects
      .map((e) => t.render(`effects.${e}`, { year }))
      .join(locale === 'zh-CN' ? '；' : '; ');
    blocks.push({ kind: 'paragraph', text: t.render('decision.effects', { effects: list }) });
  }
  blocks.push({ kind: 'heading', level: 1, text: t.render('headings.rights') });
  blocks.push({
    kind: 'paragraph',
    text: input.appeal
      ? t.render('final')
      : t.render('rights', { days: ctx.policy.appeal.withinWorkingDays }),
  });
  const organ = ctx.policy.documents.organ[locale];
  return {
    organ,
    number,
    title: t.render(input.appeal ? 'appealTitle' : 'title', { name }),
    date,
    locale,
    addressee: t.render('addressee', { name }),
    blocks,
    signature: { organ, date },
    // Without the public address there is nothing a QR code could point to.
    ...(ctx.publicUrl
      ? { verifyUrl: `${ctx.publicUrl.replace(/\/$/, '')}/verify/${encodeURIComponent(number)}` }
      : {}),
    verifyCaption: t.render('verifyCaption'),
  };
}

/**
 * Issues the documents of a decided matter (every person, or `only` one after an appeal), each
 * with the next number of the year; records the number on the person. Returns what was issued.
 */
export async function issueDecisionDocuments(
  tx: Tx,
  ctx: Ctx,
  m: Matter,
  opts: { kind: 'decision' | 'appeal'; only?: string; appeal?: AppealInfo },
): Promise<{ staff: string; number: string; sha256: string }[]> {
  const persons = await tx
    .select()
    .from(misconductPersons)
    .where(
      opts.only
        ? and(eq(misconductPersons.matterId, m.id), eq(misconductPersons.staffNo, opts.only))
        : eq(misconductPersons.matterId, m.id),
    )
    .orderBy(misconductPersons.staffNo);
  const date = opts.appeal?.decidedOn ?? m.decidedOn ?? ctx.today;
  const deciderStaff = opts.appeal ? ctx.who.staffNo : m.decidedByStaff;
  const decider =
    (deciderStaff ? (await getStaff(tx, deciderStaff))?.name : undefined) ??
    opts.appeal?.decidedBy ??
    m.decidedBy ??
    '';
  const out: { staff: string; number: string; sha256: string }[] = [];
  for (const p of persons) {
    const name = (await getStaff(tx, p.staffNo))?.name ?? p.staffNo;
    const issued = await issueDocument(
      tx,
      {
        prefix: ctx.policy.documents.numberPrefix,
        year: Number(date.slice(0, 4)),
        kind: opts.kind === 'appeal' ? APPEAL_KIND : DECISION_KIND,
        ref: `misconduct:${m.id}:${p.staffNo}`,
        issuedOn: date,
        supersedes: opts.kind === 'appeal' ? p.documentNumber : null,
        build: (number) =>
          buildDecisionDocument({
            ctx,
            matter: { ...m, decidedOn: m.decidedOn ?? date },
            person: p,
            name,
            decider,
            number,
            date,
            appeal: opts.appeal ? { ...opts.appeal, original: p.documentNumber } : undefined,
          }),
      },
      actorString(ctx.who),
    );
    await tx
      .update(misconductPersons)
      .set({ documentNumber: issued.number })
      .where(and(eq(misconductPersons.matterId, m.id), eq(misconductPersons.staffNo, p.staffNo)));
    out.push({ staff: p.staffNo, number: issued.number, sha256: issued.sha256 });
  }
  return out;
}

/** `2026-03-02` as the document prints it (for pages showing the same date). */
export const docDate = (d: string, locale: DocLocale = 'zh-CN') => formatDocDate(d, locale);
