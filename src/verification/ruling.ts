/**
 * 核查意见书 (verification rulings): for a case of a run, a PDF after GB/T 9704 rendered by
 * src/documents from `templates/documents/ruling.yaml` (Chinese or English): the number
 * (泉建核〔2026〕12号, per year and gap-free, from the document registry), the case's facts and
 * timeline, every check with its result and legal basis, the conclusion, the staff responsible
 * with their share and the recommended level of handling, and the inspector's signature block.
 * Each is registered with the SHA-256 of its bytes and carries a QR code to the public page
 * `/verify/NUMBER`. One ruling per case, run and language: asking again gives the same one.
 *
 * @example
 * const issued = await issueRulings(db, { runId: 7, failing: true, locale: 'zh-CN',
 *   inspector: 'S036', actor: 'user:inspector', publicUrl: config.publicUrl, timeZone });
 * // [{ caseNo: 'QZJS-2026-000004', number: '泉建核〔2026〕1号', sha256: '9f2c…', created: true }, …]
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { actionNames, applicantFor, caseEvents, cases } from '../cases/index.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { queryRows } from '../db/client.ts';
import {
  type Block,
  type DocLocale,
  formatDocDate,
  loadTemplate,
  type OfficialDocument,
  type Template,
} from '../documents/index.ts';
import { issueDocuments, issuedDocumentPdf } from '../documents/registry.ts';
import { listItems, listStaff } from '../org/service.ts';
import { AppError } from '../platform/errors.ts';
import { localDate } from '../platform/time.ts';
import {
  apportion,
  faultTypeLabel,
  type HandlingPolicy,
  handlingPolicy,
  levelLabel,
  recommendedLevel,
  responsibilityLabel,
} from './handling.ts';
import { type CheckName, isCheckName, type VerificationPolicy } from './policy.ts';
import { resultStrings } from './query.ts';
import { verificationFindings, verificationRulings, verificationRuns } from './schema.ts';

type Run = typeof verificationRuns.$inferSelect;

import { describeResult, resultLabel } from './wording.ts';

export const RULING_KIND = 'verification-ruling';

type EventRow = typeof caseEvents.$inferSelect;
type CaseRow = typeof cases.$inferSelect;

/** Everything a ruling says about one case, loaded for a batch at once. */
export interface RulingFacts {
  run: Run;
  case: CaseRow;
  item: { code: string; name: string } | null;
  events: EventRow[];
  results: {
    check: CheckName;
    result: 'pass' | 'fail' | 'not_applicable';
    detail: string;
    detailEn: string;
    staff: string[];
    faultType: string | null;
  }[];
  names: Map<string, string>;
}

export interface RulingOptions {
  number: string;
  /** 成文日期 (YYYY-MM-DD). */
  date: string;
  locale: DocLocale;
  /** The inspector who signs (a name as printed). */
  inspectorName: string;
  publicUrl: string;
  timeZone: string;
  handling?: HandlingPolicy;
}

/** Loads the facts of `caseNos` in `run` (cases not in the run are left out). */
export async function rulingFacts(
  db: DbOrTx,
  run: Run,
  caseNos: string[],
): Promise<Map<string, RulingFacts>> {
  const out = new Map<string, RulingFacts>();
  if (caseNos.length === 0) return out;
  const results = [...(await resultStrings(db, run.id, caseNos))].map(([caseNo, r]) => ({
    caseNo,
    results: r,
  }));
  if (results.length === 0) return out;
  const inRun = results.map((r) => r.caseNo);
  const [caseRows, eventRows, findingRows, staffRows, itemRows] = await Promise.all([
    db.select().from(cases).where(inArray(cases.caseNo, inRun)),
    db
      .select()
      .from(caseEvents)
      .where(and(inArray(caseEvents.caseNo, inRun), sql`${caseEvents.importId} <= ${run.ledgerImportId}`))
      .orderBy(asc(caseEvents.caseNo), asc(caseEvents.seq)),
    db
      .select()
      .from(verificationFindings)
      .where(and(eq(verificationFindings.runId, run.id), inArray(verificationFindings.caseNo, inRun))),
    listStaff(db),
    listItems(db),
  ]);
  const names = new Map(staffRows.map((s) => [s.no, s.name]));
  const items = new Map(itemRows.map((i) => [i.code, { code: i.code, name: i.name }]));
  const caseBy = new Map(caseRows.map((c) => [c.caseNo, c]));
  const eventsBy = new Map<string, EventRow[]>();
  for (const e of eventRows) {
    const list = eventsBy.get(e.caseNo) ?? [];
    list.push(e);
    eventsBy.set(e.caseNo, list);
  }
  const findingBy = new Map(findingRows.map((f) => [`${f.caseNo}|${f.check}`, f]));
  const checks = run.checks.filter(isCheckName);
  for (const r of results) {
    const c = caseBy.get(r.caseNo);
    if (!c) continue;
    out.set(r.caseNo, {
      run,
      case: c,
      item: items.get(c.itemCode) ?? null,
      events: eventsBy.get(r.caseNo) ?? [],
      names,
      results: checks.map((check, i) => {
        const letter = r.results[i];
        const f = findingBy.get(`${r.caseNo}|${check}`);
        if (letter === 'f' && f)
          return {
            check,
            result: 'fail',
            detail: f.detail,
            detailEn: f.detailEn,
            staff: f.staff,
            faultType: f.faultType,
          };
        const result = letter === 'p' ? 'pass' : 'not_applicable';
        return {
          check,
          result,
          detail: describeResult(check, result, 'zh-CN'),
          detailEn: describeResult(check, result, 'en'),
          staff: [],
          faultType: null,
        };
      }),
    });
  }
  return out;
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
const timeFormats = new Map<string, Intl.DateTimeFormat>();

function localTime(at: Date, timeZone: string): string {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** A short note on what an event carried (材料、意见、延期天数 ...). */
function eventNote(e: EventRow, zh: boolean, who: (no: string) => string): string {
  const d = e.data as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join(zh ? '、' : ', ') : '');
  const parts: string[] = [];
  switch (e.action) {
    case 'receipt':
      if (d.receiptNo) parts.push(`${zh ? '回执号 ' : 'receipt '}${d.receiptNo}`);
      break;
    case 'notify_supplement':
      parts.push(`${zh ? '补正材料：' : 'missing: '}${list(d.missing)}`);
      break;
    case 'supplement':
      parts.push(`${zh ? '补交材料：' : 'supplied: '}${list(d.materials)}`);
      break;
    case 'accept':
      if (Array.isArray(d.missing) && d.missing.length)
        parts.push(
          zh
            ? `容缺材料：${list(d.missing)}，限${d.dueBy ?? '-'}前补齐`
            : `owed: ${list(d.missing)} by ${d.dueBy ?? '-'}`,
        );
      break;
    case 'review':
    case 'opinion':
      parts.push(d.opinion === 'refuse' ? (zh ? '不同意' : 'refuse') : zh ? '同意' : 'grant');
      if (d.department) parts.push(String(d.department));
      break;
    case 'dispatch':
      parts.push(list(d.departments));
      break;
    case 'extend':
      parts.push(
        zh
          ? `延期${d.days ?? '-'}个工作日，批准人${d.approvedBy ? who(String(d.approvedBy)) : '（无）'}`
          : `${d.days ?? '-'} working days, approved by ${d.approvedBy ? who(String(d.approvedBy)) : '(none)'}`,
      );
      break;
    case 'return':
      parts.push(d.stage === 'intake' ? (zh ? '不予受理' : 'intake refusal') : zh ? '不予许可' : 'refusal');
      if (Array.isArray(d.reasons) && d.reasons.length) parts.push(list(d.reasons));
      break;
    case 'file_rejection':
      if (d.filedTo) parts.push(`${zh ? '报备至' : 'filed to '}${who(String(d.filedTo))}`);
      break;
    case 'seal':
      parts.push(
        d.seal === 'official' ? (zh ? '局公章' : 'bureau seal') : zh ? '审批专用章' : 'approval seal',
      );
      break;
    case 'complete':
      parts.push(d.result === 'returned' ? (zh ? '退件' : 'returned') : zh ? '准予许可' : 'granted');
      break;
    case 'clock_stop':
    case 'clock_resume':
      if (d.reason) parts.push(String(d.reason));
      break;
  }
  if (e.allowed === false) parts.push(zh ? '【超出权限】' : '[outside authority]');
  return parts.join(zh ? '；' : '; ');
}

/** The ruling as an `OfficialDocument` (pure: the same facts and options give the same document). */
export function buildRulingDocument(f: RulingFacts, o: RulingOptions): OfficialDocument {
  const locale = o.locale;
  const zh = locale === 'zh-CN';
  const t: Template = loadTemplate('ruling', locale);
  const policy = f.run.policy as unknown as VerificationPolicy;
  const handling = o.handling ?? handlingPolicy();
  const who = (no: string) => (f.names.get(no) ? `${f.names.get(no)}（${no}）` : no);
  const whoEn = (no: string) => (f.names.get(no) ? `${f.names.get(no)} (${no})` : no);
  const person = zh ? who : whoEn;
  const c = f.case;
  const itemText = f.item ? `${f.item.name}（${f.item.code}）` : c.itemCode;
  const scope = f.run.periodFrom
    ? t.render('scope.period', { from: f.run.periodFrom, to: f.run.periodTo })
    : t.render('scope.list');
  const completion = f.events.find((e) => e.action === 'complete');
  const applicant = applicantFor(
    { kind: c.applicantKind, name: c.applicantName, id: c.applicantId },
    c.applicantKind === 'org',
  );
  const project = c.project
    ? `${c.project.name}（${c.project.code}）${c.project.key ? t.render('labels.keyProject') : ''}`
    : null;
  const blocks: Block[] = [
    {
      kind: 'paragraph',
      text: t.render('intro', { caseNo: c.caseNo, item: itemText, run: f.run.id, scope }),
    },
    { kind: 'heading', level: 1, text: t.render('headings.facts') },
    {
      kind: 'keyValue',
      rows: [
        [t.render('labels.caseNo'), c.caseNo],
        [t.render('labels.item'), itemText],
        [t.render('labels.route'), t.has(`routes.${c.route}`) ? t.render(`routes.${c.route}`) : c.route],
        [
          t.render('labels.channel'),
          t.has(`channels.${c.channel}`) ? t.render(`channels.${c.channel}`) : c.channel,
        ],
        [t.render('labels.applicant'), applicant.name],
        ...(project ? [[t.render('labels.project'), project] as [string, string]] : []),
        [t.render('labels.received'), localTime(c.receivedAt, o.timeZone)],
        [
          t.render('labels.completed'),
          completion ? localTime(completion.at, o.timeZone) : t.render('labels.notCompleted'),
        ],
        ...(completion
          ? [
              [
                t.render('labels.result'),
                t.render(
                  `results.${(completion.data as { result?: string }).result === 'returned' ? 'returned' : 'granted'}`,
                ),
              ] as [string, string],
            ]
          : []),
      ],
    },
    { kind: 'heading', level: 1, text: t.render('headings.timeline') },
    {
      kind: 'table',
      columns: [
        { title: t.render('labels.seq'), width: 1.3, align: 'center' },
        { title: t.render('labels.time'), width: 3.2 },
        { title: t.render('labels.action'), width: 2.6 },
        { title: t.render('labels.actor'), width: 3.4 },
        { title: t.render('labels.note'), width: 4.5 },
      ],
      rows: f.events.map((e) => [
        String(e.seq),
        localTime(e.at, o.timeZone),
        zh ? ((actionNames as Record<string, string>)[e.action] ?? e.action) : e.action.replace(/_/g, ' '),
        person(e.actor),
        eventNote(e, zh, person),
      ]),
    },
    { kind: 'heading', level: 1, text: t.render('headings.checks') },
    {
      kind: 'table',
      columns: [
        { title: t.render('labels.check'), width: 2.6 },
        { title: t.render('labels.outcome'), width: zh ? 1.8 : 2.4, align: 'center' },
        { title: t.render('labels.detail'), width: 5 },
        { title: t.render('labels.basis'), width: 4 },
      ],
      rows: f.results.map((r) => [
        policy.checks[r.check].name[locale],
        resultLabel(r.result, locale),
        zh ? r.detail : r.detailEn,
        policy.checks[r.check].basis[locale],
      ]),
    },
    { kind: 'heading', level: 1, text: t.render('headings.conclusion') },
  ];
  const failures = f.results.filter((r) => r.result === 'fail');
  blocks.push({
    kind: 'paragraph',
    text: failures.length
      ? t.render('conclusion.failed', {
          count: failures.length,
          list: failures.map((r) => policy.checks[r.check].name[locale]).join(zh ? '、' : ', '),
        })
      : t.render('conclusion.clean'),
  });
  if (failures.length) {
    const shares = apportion(
      failures.map((r) => ({ faultType: r.faultType ?? policy.checks[r.check].faultType, staff: r.staff })),
      {
        reviewer: f.events.find((e) => e.action === 'review')?.actor,
        approver: [...f.events]
          .reverse()
          .find(
            (e) =>
              e.action === 'approve' ||
              (e.action === 'return' && (e.data as { stage?: string }).stage === 'decision'),
          )?.actor,
      },
    );
    blocks.push({ kind: 'heading', level: 1, text: t.render('headings.responsibility') });
    blocks.push({
      kind: 'table',
      columns: [
        { title: t.render('labels.person'), width: 3 },
        { title: t.render('labels.share'), width: zh ? 2.6 : 3.4 },
        { title: t.render('labels.faults'), width: 3.6 },
        { title: t.render('labels.level'), width: 3.4 },
      ],
      rows: shares.map((s) => [
        person(s.staff),
        responsibilityLabel(handling, s.role, locale),
        s.faultTypes.map((ft) => faultTypeLabel(handling, ft, locale)).join(zh ? '、' : ', '),
        levelLabel(handling, recommendedLevel(handling, s.faultTypes, s.role), locale),
      ]),
    });
    blocks.push({ kind: 'paragraph', text: t.render('advice') });
  }
  const organ = policy.rulings.organ[locale];
  return {
    organ,
    number: o.number,
    title: t.render('title', { caseNo: c.caseNo }),
    date: o.date,
    locale,
    blocks,
    signature: { organ, date: o.date, signer: t.render('labels.signer', { name: o.inspectorName }) },
    verifyUrl: `${o.publicUrl.replace(/\/$/, '')}/verify/${encodeURIComponent(o.number)}`,
    verifyCaption: t.render('verifyCaption'),
  };
}

export interface IssueRulingsInput {
  runId: number;
  /** The cases to rule on; or `failing: true` for every case of the run with a failure. */
  caseNos?: string[];
  failing?: boolean;
  /** At most this many (with `failing`); default all. */
  limit?: number;
  locale: DocLocale;
  /** The signing inspector: a staff number (printed with its name) or a name. */
  inspector: string;
  actor: string;
  publicUrl: string;
  timeZone: string;
  /** 成文日期; default today in the bureau's zone. */
  issuedOn?: string;
  /** Rulings a transaction (default RULINGS_PER_TRANSACTION; tests make it small). */
  perTransaction?: number;
}

export interface IssuedRuling {
  caseNo: string;
  number: string;
  sha256: string;
  /** false: it had been issued before (same run, case and language). */
  created: boolean;
}

/** Rulings issued in one transaction (see issueRulings). */
export const RULINGS_PER_TRANSACTION = 200;

/**
 * Issues the rulings of a run: the facts of all the cases loaded in a few set-based queries, then
 * for each RULINGS_PER_TRANSACTION of them one transaction that takes their numbers in one
 * statement, renders each ruling and writes the documents, the audit entries and the ruling rows
 * with multi-row inserts. All or nothing per transaction: a failure stores no ruling of it and
 * uses up no number (those before it stay issued). Bounded so that the number series' counter is
 * never locked for long: a single ruling asked for meanwhile waits seconds, not minutes. Cases
 * ruled on before (same run and language) are returned as they were. Throws NOT_FOUND for an
 * unknown run, UNPROCESSABLE for a case the run did not verify or a run not finished.
 */
export async function issueRulings(db: Db, input: IssueRulingsInput): Promise<IssuedRuling[]> {
  const [run] = await db.select().from(verificationRuns).where(eq(verificationRuns.id, input.runId));
  if (!run) throw new AppError('NOT_FOUND', `no verification run ${input.runId}`);
  const [st] = await queryRows<{ status: string }>(
    db,
    sql`select status from verification_run_status where run_id = ${run.id}`,
  );
  if (st?.status !== 'done')
    throw new AppError('UNPROCESSABLE', `verification run ${run.id} has not finished`);
  let caseNos: string[];
  if (input.failing) {
    const rows = await queryRows<{ case_no: string }>(
      db,
      sql`select distinct case_no from ${verificationFindings} where run_id = ${run.id} order by case_no
          ${input.limit ? sql`limit ${input.limit}` : sql``}`,
    );
    caseNos = rows.map((r) => r.case_no);
  } else caseNos = [...new Set(input.caseNos ?? [])];
  const existing = new Map(
    (caseNos.length
      ? await db
          .select()
          .from(verificationRulings)
          .where(
            and(
              eq(verificationRulings.runId, run.id),
              eq(verificationRulings.locale, input.locale),
              inArray(verificationRulings.caseNo, caseNos),
            ),
          )
      : []
    ).map((r) => [r.caseNo, r]),
  );
  const todo = caseNos.filter((c) => !existing.has(c));
  const facts = await rulingFacts(db, run, todo);
  const missing = todo.filter((c) => !facts.has(c));
  if (missing.length)
    throw new AppError(
      'UNPROCESSABLE',
      `verification run ${run.id} did not verify ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' ...' : ''}`,
      missing.map((c) => ({ path: 'caseNos', message: `case ${c} is not in run ${run.id}` })),
    );
  const issuedOn = input.issuedOn ?? localDate(new Date(), input.timeZone);
  const year = Number(issuedOn.slice(0, 4));
  const policy = run.policy as unknown as VerificationPolicy;
  const handling = handlingPolicy();
  const inspectorName = facts.values().next().value?.names.get(input.inspector) ?? input.inspector;
  const out = new Map<string, IssuedRuling>();
  for (const [caseNo, r] of existing)
    out.set(caseNo, { caseNo, number: r.number, sha256: r.sha256, created: false });
  const per = input.perTransaction ?? RULINGS_PER_TRANSACTION;
  for (let start = 0; start < todo.length; start += per) {
    const part = todo.slice(start, start + per);
    await db.transaction(async (tx) => {
      const issued = await issueDocuments(
        tx,
        {
          prefix: policy.rulings.numberPrefix,
          year,
          kind: RULING_KIND,
          issuedOn,
          items: part.map((caseNo) => ({
            ref: `verification:${run.id}:${caseNo}:${input.locale}`,
            build: (number: string) =>
              buildRulingDocument(facts.get(caseNo)!, {
                number,
                date: issuedOn,
                locale: input.locale,
                inspectorName,
                publicUrl: input.publicUrl,
                timeZone: run.timeZone,
                handling,
              }),
          })),
        },
        input.actor,
      );
      const rows = part.map((caseNo, i) => ({
        number: issued[i].number,
        runId: run.id,
        caseNo,
        locale: input.locale,
        sha256: issued[i].sha256,
        failures: facts.get(caseNo)!.results.filter((r) => r.result === 'fail').length,
        inspector: input.inspector,
        issuedBy: input.actor,
        issuedOn,
      }));
      for (let i = 0; i < rows.length; i += 1000)
        await tx.insert(verificationRulings).values(rows.slice(i, i + 1000));
      for (const r of rows)
        out.set(r.caseNo, { caseNo: r.caseNo, number: r.number, sha256: r.sha256, created: true });
    });
  }
  return caseNos.map((c) => out.get(c)!);
}

/** Rulings issued, newest first, of a run and/or a case. */
export async function listRulings(db: DbOrTx, f: { runId?: number; caseNo?: string } = {}) {
  return db
    .select()
    .from(verificationRulings)
    .where(
      and(
        f.runId !== undefined ? eq(verificationRulings.runId, f.runId) : undefined,
        f.caseNo ? eq(verificationRulings.caseNo, f.caseNo) : undefined,
      ),
    )
    .orderBy(sql`${verificationRulings.createdAt} desc`, sql`${verificationRulings.number} desc`)
    .limit(500);
}

/** A ruling's stored PDF and record; null when no such ruling. */
export async function rulingPdf(db: DbOrTx, number: string) {
  const [r] = await db.select().from(verificationRulings).where(eq(verificationRulings.number, number));
  if (!r) return null;
  const pdf = await issuedDocumentPdf(db, number);
  return pdf ? { ruling: r, pdf } : null;
}

/** 2026年3月2日 / 2 March 2026 (for pages that show a ruling's date as it prints). */
export const rulingDate = (d: string, locale: DocLocale = 'zh-CN') => formatDocDate(d, locale);
