/**
 * The reports API. Leaders (`read`/`create` on Report in policies/roles.yaml) list reports, read a
 * version's figures and changes, download its stored PDF or HTML (the frozen bytes, never
 * re-rendered) and generate a new version. The quarterly publication is public (`read` on
 * PublicPage): its list and PDF need no login.
 *
 * @example
 * POST /api/reports/monthly/2026-03                 -> 201 { version: 2, changes: [...] }
 * GET  /api/reports/monthly/2026-03/pdf?version=1   -> the PDF of version 1, byte for byte as stored
 * GET  /api/public/reports/2026-Q1/pdf              -> the latest quarterly publication (no login)
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type AppEnv, actorOf, guard, validationHook } from '../platform/http.ts';
import { parsePeriod, REPORT_KINDS, type ReportKind } from './periods.ts';
import {
  generateReport,
  getReportVersion,
  listReports,
  type ReportVersionRow,
  reportHistory,
} from './store.ts';

export const reportRoutes = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

const anyJson = (description: string) => ({
  description,
  content: { 'application/json': { schema: z.any() } },
});

const kindParam = z.enum(REPORT_KINDS).openapi({ param: { name: 'kind', in: 'path' }, example: 'monthly' });
const periodParam = z
  .string()
  .min(1)
  .max(20)
  .openapi({
    param: { name: 'period', in: 'path' },
    example: '2026-03',
    description: '2026-03-02, 2026-W10, 2026-03 or 2026-Q1',
  });
const versionQuery = z
  .string()
  .regex(/^[1-9]\d{0,5}$/, 'a version number, 1 or more')
  .transform(Number)
  .optional()
  .openapi({ param: { name: 'version', in: 'query' }, description: 'default: the latest' });
const localeQuery = z
  .enum(['zh-CN', 'en'])
  .default('zh-CN')
  .openapi({ param: { name: 'locale', in: 'query' } });

const pdfResponse = { 200: { description: 'PDF', content: { 'application/pdf': { schema: z.string() } } } };
const htmlResponse = { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } };

/** A period key checked against its kind, as a 400 naming the path parameter. */
function period(kind: ReportKind, key: string) {
  return parsePeriod(kind, key, 'path.period').key;
}

function fileName(row: ReportVersionRow, ext: string) {
  return `${row.kind}-${row.period}-v${row.version}-${row.locale}.${ext}`;
}

/** The stored bytes with their hash, so a reader can check them against the audit log. */
export function sendPdf(c: Context<AppEnv>, row: ReportVersionRow) {
  return c.body(new Uint8Array(row.pdf), 200, {
    'content-type': 'application/pdf',
    'content-disposition': `inline; filename="${fileName(row, 'pdf')}"`,
    'x-content-sha256': row.sha256,
    'x-report-version': String(row.version),
  });
}

function versionJson(row: ReportVersionRow) {
  return {
    kind: row.kind,
    period: row.period,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    version: row.version,
    locale: row.locale,
    numbers: row.numbers,
    numbersSha256: row.numbersSha256,
    changes: row.changes,
    sha256: row.sha256,
    htmlSha256: row.htmlSha256,
    trigger: row.trigger,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
  };
}

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/reports',
    tags: ['reports'],
    summary: 'Reports generated, newest period first, each with its latest version',
    middleware: [guard('read', 'Report')] as const,
    request: {
      query: z.object({
        kind: z
          .enum(REPORT_KINDS)
          .optional()
          .openapi({ param: { name: 'kind', in: 'query' } }),
      }),
    },
    responses: { 200: anyJson('Reports') },
  }),
  async (c) =>
    c.json({ reports: await listReports(c.get('deps').db, { kind: c.req.valid('query').kind }) }, 200),
);

reportRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/api/reports/{kind}/{period}',
    tags: ['reports'],
    summary: 'Generate a new version of a report (version 1, or n+1 with the changes against n)',
    middleware: [guard('create', 'Report')] as const,
    request: { params: z.object({ kind: kindParam, period: periodParam }) },
    responses: { 201: anyJson('The version generated') },
  }),
  async (c) => {
    const { kind, period: key } = c.req.valid('param');
    const { db, config } = c.get('deps');
    const v = await generateReport(db, {
      kind,
      period: period(kind, key),
      timeZone: config.timeZone,
      actor: actorOf(c.get('principal')),
      trigger: 'request',
    });
    return c.json(v, 201);
  },
);

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/reports/{kind}/{period}',
    tags: ['reports'],
    summary: "One version's figures, hashes and changes (default the latest), and the list of versions",
    middleware: [guard('read', 'Report')] as const,
    request: {
      params: z.object({ kind: kindParam, period: periodParam }),
      query: z.object({ version: versionQuery, locale: localeQuery }),
    },
    responses: { 200: anyJson('The version') },
  }),
  async (c) => {
    const { kind, period: key } = c.req.valid('param');
    const { version, locale } = c.req.valid('query');
    const { db } = c.get('deps');
    const row = await getReportVersion(db, { kind, period: period(kind, key), version, locale });
    const versions = (await reportHistory(db, kind, row.period, locale)).map((v) => ({
      version: v.version,
      numbersSha256: v.numbersSha256,
      sha256: v.sha256,
      changes: v.changes?.length ?? null,
      trigger: v.trigger,
      createdBy: v.createdBy,
      createdAt: v.createdAt.toISOString(),
    }));
    return c.json({ ...versionJson(row), versions }, 200);
  },
);

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/reports/{kind}/{period}/pdf',
    tags: ['reports'],
    summary: 'The stored PDF of a version (default the latest), byte for byte',
    middleware: [guard('read', 'Report')] as const,
    request: {
      params: z.object({ kind: kindParam, period: periodParam }),
      query: z.object({ version: versionQuery, locale: localeQuery }),
    },
    responses: pdfResponse,
  }),
  async (c) => {
    const { kind, period: key } = c.req.valid('param');
    const { version, locale } = c.req.valid('query');
    return sendPdf(
      c,
      await getReportVersion(c.get('deps').db, { kind, period: period(kind, key), version, locale }),
    );
  },
);

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/reports/{kind}/{period}/html',
    tags: ['reports'],
    summary: 'The stored HTML page of a version (default the latest), byte for byte, as a download',
    middleware: [guard('read', 'Report')] as const,
    request: {
      params: z.object({ kind: kindParam, period: periodParam }),
      query: z.object({ version: versionQuery, locale: localeQuery }),
    },
    responses: htmlResponse,
  }),
  async (c) => {
    const { kind, period: key } = c.req.valid('param');
    const { version, locale } = c.req.valid('query');
    const row = await getReportVersion(c.get('deps').db, {
      kind,
      period: period(kind, key),
      version,
      locale,
    });
    // A download: the page carries its own <style>, which this site's CSP would block inline.
    return c.body(row.html, 200, {
      'content-type': 'text/html; charset=utf-8',
      'content-disposition': `attachment; filename="${fileName(row, 'html')}"`,
      'x-content-sha256': row.htmlSha256,
      'x-report-version': String(row.version),
    });
  },
);

// ---- public: the quarterly publication -----------------------------------------------------------

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/public/reports',
    tags: ['reports'],
    summary: 'The quarterly publications (no login)',
    middleware: [guard('read', 'PublicPage')] as const,
    responses: { 200: anyJson('Quarters published, with their latest version') },
  }),
  async (c) => {
    const rows = await listReports(c.get('deps').db, { kind: 'quarterly' });
    return c.json(
      {
        reports: rows.map(({ period, periodFrom, periodTo, version }) => ({
          period,
          periodFrom,
          periodTo,
          version,
        })),
      },
      200,
    );
  },
);

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/api/public/reports/{period}/pdf',
    tags: ['reports'],
    summary: 'A quarterly publication as PDF (no login; default the latest version)',
    middleware: [guard('read', 'PublicPage')] as const,
    request: {
      params: z.object({ period: periodParam }),
      query: z.object({ version: versionQuery, locale: localeQuery }),
    },
    responses: pdfResponse,
  }),
  async (c) => {
    const { period: key } = c.req.valid('param');
    const { version, locale } = c.req.valid('query');
    const row = await getReportVersion(c.get('deps').db, {
      kind: 'quarterly',
      period: period('quarterly', key),
      version,
      locale,
    });
    return sendPdf(c, row);
  },
);
