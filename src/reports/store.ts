/**
 * Generating and keeping reports. A generated report is frozen: its figures, HTML and PDF are
 * stored with their hashes and never changed (the table is append-only). Generating the same
 * period again makes version n+1, which carries the changes against version n, so a figure never
 * changes silently. One version is written for both locales in one transaction.
 *
 * @example
 * const v = await generateReport(db, { kind: 'monthly', period: '2026-03', timeZone, actor: 'user:leader', trigger: 'request' });
 * v.version // 1, then 2 on the next request
 * v.changes // null for version 1; [{ path: 'trend.2026-03.received', before: 812, after: 813 }, ...]
 */
import { and, desc, eq, max, sql } from 'drizzle-orm';
import { getCalendar, type WorkingCalendar } from '../calendar/index.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { LOCKS } from '../db/locks.ts';
import { type DocLocale, TEMPLATE_LOCALES } from '../documents/index.ts';
import { getBureau } from '../org/service.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { canonicalJson, sha256 } from '../platform/hash.ts';
import { localDate } from '../platform/time.ts';
import { diffNumbers } from './diff.ts';
import { computeNumbers, type ReportNumbers } from './figures/index.ts';
import { isOver, type Period, parsePeriod, type ReportKind } from './periods.ts';
import { type RenderedReport, renderReport } from './render/index.ts';
import { reportVersions, type StoredChange } from './schema.ts';

export interface GenerateInput {
  kind: ReportKind;
  period: string;
  timeZone: string;
  actor: string;
  trigger: 'schedule' | 'request';
  /** The time of generation (default now). */
  now?: Date;
  calendar?: WorkingCalendar;
  /** Only generate when no version exists yet (the timer's catch-up); default false. */
  onlyIfMissing?: boolean;
}

export interface GeneratedVersion {
  kind: ReportKind;
  period: string;
  version: number;
  /** Changes against the previous version; null for version 1. */
  changes: StoredChange[] | null;
  numbersSha256: string;
  /** Row ids per locale. */
  ids: Record<string, number>;
}

/** How often a generation that lost a race for its version number computes again. */
const ATTEMPTS = 3;

/**
 * Generates a version of a report. Refuses a period that is not over yet (its figures would
 * still move). Returns null when `onlyIfMissing` and a version exists.
 *
 * The figures are computed and both documents rendered before the write transaction, which only
 * takes the report's lock, checks that no other version was stored meanwhile, and inserts: on the
 * embedded database one connection serves everything, and a transaction held through seconds of
 * PDF rendering would stall every request. A generation that finds another version stored since
 * it started computes again against that one.
 */
export async function generateReport(db: Db, input: GenerateInput): Promise<GeneratedVersion | null> {
  const now = input.now ?? new Date();
  const period = parsePeriod(input.kind, input.period);
  const today = localDate(now, input.timeZone);
  if (!isOver(period, today)) {
    throw new AppError(
      'UNPROCESSABLE',
      `the ${period.kind} period ${period.key} is not over yet (today is ${today})`,
    );
  }
  const calendar = input.calendar ?? getCalendar();
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const prev = await latestNumbers(db, period);
    if (prev && input.onlyIfMissing) return null;
    const bureau = await getBureau(db);
    if (!bureau) throw new AppError('UNPROCESSABLE', 'no bureau is loaded: load the organisation first');

    // Through JSON and back: what is compared and hashed is exactly what jsonb keeps.
    const numbers = JSON.parse(
      JSON.stringify(await computeNumbers({ db, timeZone: input.timeZone, calendar }, period)),
    ) as ReportNumbers;
    const numbersSha256 = sha256(canonicalJson(numbers));
    const version = (prev?.version ?? 0) + 1;
    const changes = prev ? diffNumbers(prev.numbers, numbers) : null;
    const meta = {
      bureau: bureau.name,
      version,
      generatedAt: now,
      timeZone: input.timeZone,
      previous: prev ? { version: prev.version, changes: changes! } : null,
    };
    const rendered: (RenderedReport & { locale: DocLocale })[] = [];
    for (const locale of TEMPLATE_LOCALES)
      rendered.push({ locale, ...(await renderReport(numbers, meta, locale)) });

    const stored = await db.transaction(async (tx) => {
      // One generation of a report (kind + period) at a time, across processes.
      await tx.execute(
        sql`select pg_advisory_xact_lock(${LOCKS.reports}, hashtext(${`${period.kind}:${period.key}`}))`,
      );
      const latest = await latestNumbers(tx, period);
      if ((latest?.version ?? 0) !== (prev?.version ?? 0))
        return latest && input.onlyIfMissing ? null : 'again';
      const ids: Record<string, number> = {};
      for (const r of rendered) {
        const [row] = await tx
          .insert(reportVersions)
          .values({
            kind: period.kind,
            period: period.key,
            periodFrom: period.from,
            periodTo: period.to,
            version,
            locale: r.locale,
            numbers: numbers as unknown as Record<string, unknown>,
            numbersSha256,
            changes,
            html: r.html,
            htmlSha256: r.htmlSha256,
            pdf: r.pdf,
            sha256: r.sha256,
            trigger: input.trigger,
            createdBy: input.actor,
            createdAt: now,
          })
          .returning({ id: reportVersions.id });
        ids[r.locale] = row.id;
      }
      await appendAudit(tx, {
        actor: input.actor,
        action: 'reports.generate',
        entity: 'report_versions',
        entityId: `${period.kind}:${period.key}:v${version}`,
        content: {
          numbersSha256,
          pdfSha256: Object.fromEntries(rendered.map((r) => [r.locale, r.sha256])),
          changes: changes?.length ?? null,
          trigger: input.trigger,
        },
      });
      return { kind: period.kind, period: period.key, version, changes, numbersSha256, ids };
    });
    if (stored !== 'again') return stored;
  }
  throw new AppError(
    'CONFLICT',
    `the ${period.kind} report ${period.key} kept being generated elsewhere; try again`,
  );
}

/** The latest version's number and figures for a period (null when none). */
async function latestNumbers(db: DbOrTx, period: Period) {
  const [row] = await db
    .select({ version: reportVersions.version, numbers: reportVersions.numbers })
    .from(reportVersions)
    .where(and(eq(reportVersions.kind, period.kind), eq(reportVersions.period, period.key)))
    .orderBy(desc(reportVersions.version))
    .limit(1);
  return row ?? null;
}

export interface ReportSummary {
  kind: ReportKind;
  period: string;
  periodFrom: string;
  periodTo: string;
  /** The latest version. */
  version: number;
  versions: number;
  createdAt: string;
}

/**
 * Reports generated, newest period first: one line per kind and period with its latest version.
 * @example await listReports(db, { kind: 'monthly' }) // [{ kind: 'monthly', period: '2026-03', version: 2, ... }]
 */
export async function listReports(
  db: DbOrTx,
  f: { kind?: ReportKind; limit?: number } = {},
): Promise<ReportSummary[]> {
  const r = reportVersions;
  const rows = await db
    .select({
      kind: r.kind,
      period: r.period,
      periodFrom: r.periodFrom,
      periodTo: r.periodTo,
      version: max(r.version),
      createdAt: sql<string>`max(${r.createdAt})`,
    })
    .from(r)
    .where(f.kind ? eq(r.kind, f.kind) : undefined)
    .groupBy(r.kind, r.period, r.periodFrom, r.periodTo)
    .orderBy(desc(r.periodTo), r.kind)
    .limit(Math.min(Math.max(f.limit ?? 200, 1), 1000));
  return rows.map((x) => ({
    kind: x.kind as ReportKind,
    period: x.period,
    periodFrom: x.periodFrom,
    periodTo: x.periodTo,
    version: x.version ?? 0,
    versions: x.version ?? 0,
    createdAt: new Date(x.createdAt).toISOString(),
  }));
}

export type ReportVersionRow = typeof reportVersions.$inferSelect;

/**
 * One stored version in one locale (the latest when `version` is omitted); NOT_FOUND when none.
 * The HTML and PDF are the stored bytes, never re-rendered.
 */
export async function getReportVersion(
  db: DbOrTx,
  q: { kind: ReportKind; period: string; version?: number; locale: string },
): Promise<ReportVersionRow> {
  const r = reportVersions;
  const [row] = await db
    .select()
    .from(r)
    .where(
      and(
        eq(r.kind, q.kind),
        eq(r.period, q.period),
        eq(r.locale, q.locale),
        q.version ? eq(r.version, q.version) : undefined,
      ),
    )
    .orderBy(desc(r.version))
    .limit(1);
  if (!row) {
    throw new AppError(
      'NOT_FOUND',
      `no ${q.kind} report for ${q.period}${q.version ? ` version ${q.version}` : ''} in ${q.locale}`,
    );
  }
  return row;
}

/** Every version of a report, oldest first, without the documents (for the version list). */
export async function reportHistory(db: DbOrTx, kind: ReportKind, period: string, locale: string) {
  const r = reportVersions;
  return db
    .select({
      version: r.version,
      numbersSha256: r.numbersSha256,
      sha256: r.sha256,
      htmlSha256: r.htmlSha256,
      changes: r.changes,
      trigger: r.trigger,
      createdBy: r.createdBy,
      createdAt: r.createdAt,
    })
    .from(r)
    .where(and(eq(r.kind, kind), eq(r.period, period), eq(r.locale, locale)))
    .orderBy(r.version);
}

/** Whether any version of this period exists. */
export async function hasReport(db: DbOrTx, kind: ReportKind, period: string): Promise<boolean> {
  const [row] = await db
    .select({ id: reportVersions.id })
    .from(reportVersions)
    .where(and(eq(reportVersions.kind, kind), eq(reportVersions.period, period)))
    .limit(1);
  return !!row;
}

/** The latest period of `kind` that has a report, or null. */
export async function lastReportedPeriod(db: DbOrTx, kind: ReportKind): Promise<string | null> {
  const [row] = await db
    .select({ period: reportVersions.period })
    .from(reportVersions)
    .where(eq(reportVersions.kind, kind))
    .orderBy(desc(reportVersions.periodFrom))
    .limit(1);
  return row?.period ?? null;
}
