/**
 * The reports' pages. The leader's 报告 page lists the reports, generates one for a period, and
 * opens one: the frozen document (its stored HTML, SVG charts included) with its versions, the
 * changes against the version before, and its PDF. The quarterly publication has public pages
 * that need no login. Mounted with `app.route('/', reportPages)`.
 *
 * The stored HTML page carries its own <style>, which this site's Content-Security-Policy does not
 * allow inline; the pages show its <article> and link the same stylesheet from /reports/document.css.
 *
 * @example
 * // GET  /reports                       list, generate form
 * // GET  /reports/monthly/2026-03?v=1   version 1 of March's analysis
 * // POST /reports/monthly/2026-03       generate again (a new version)
 * // GET  /public/reports/2026-Q1        the quarterly publication, no login
 */
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { renderHtml } from '../documents/index.ts';
import { AppError } from '../platform/errors.ts';
import type { AppEnv } from '../platform/http.ts';
import { Csrf, Empty, Facts, Grid, Select } from '../web/components.tsx';
import { forbiddenPage, pageErrorHandler, pageGuard } from '../web/guard.tsx';
import { translator } from '../web/i18n.ts';
import { registerPage } from '../web/registry.ts';
import { localeOf, renderPage, type View } from '../web/render.tsx';
import { parsePeriod, REPORT_KINDS, type ReportKind } from './periods.ts';
import type { StoredChange } from './schema.ts';
import {
  generateReport,
  getReportVersion,
  listReports,
  type ReportVersionRow,
  reportHistory,
} from './store.ts';

export const reportsPage = registerPage({
  path: '/reports',
  navKey: 'nav.reports',
  descKey: 'nav.desc.reports',
  section: 'leadership',
  can: ['read', 'Report'],
  order: 10,
});

export const reportPages = new Hono<AppEnv>();
reportPages.onError(pageErrorHandler);

/** The documents' stylesheet, as renderHtml writes it inline (the same text, served from 'self'). */
let documentCss: string | undefined;
function documentStylesheet(): string {
  if (documentCss === undefined) {
    const html = renderHtml(
      { organ: 'x', title: 'x', date: '2026-01-01', locale: 'zh-CN', blocks: [] },
      { fragment: true },
    );
    // The page around the document: the white sheet the document is printed on.
    documentCss = `${html.slice(html.indexOf('<style>') + 7, html.indexOf('</style>'))}\n.report-document{background:#fff;max-width:172mm;margin:1em auto;padding:0 8mm;box-shadow:0 1px 4px rgba(0,0,0,.15)}`;
  }
  return documentCss;
}

/**
 * The <article> of a stored report page, without its few inline style attributes (the title's
 * size, column widths), which the CSP refuses anyway; the stylesheet sets sensible defaults.
 */
function articleOf(html: string): string {
  const start = html.indexOf('<article');
  const end = html.lastIndexOf('</article>');
  if (start < 0 || end <= start) return '';
  return html.slice(start, end + '</article>'.length).replace(/ style="[^"]*"/g, '');
}

reportPages.get('/reports/document.css', (c) =>
  c.body(documentStylesheet(), 200, {
    'content-type': 'text/css; charset=utf-8',
    'cache-control': 'public, max-age=3600',
  }),
);

const isKind = (s: string | undefined): s is ReportKind =>
  !!s && (REPORT_KINDS as readonly string[]).includes(s);
const localeParam = (c: Context<AppEnv>) => localeOf(c);
const versionParam = (s: string | undefined) => (s && /^[1-9]\d{0,5}$/.test(s) ? Number(s) : undefined);

function Document({ row }: { row: ReportVersionRow }) {
  return (
    <>
      <link rel="stylesheet" href="/reports/document.css" />
      <div class="report-document" dangerouslySetInnerHTML={{ __html: articleOf(row.html) }} />
    </>
  );
}

/** A SHA-256, shortened on screen; the whole value is in the tooltip and the copied text. */
const Hash = ({ value }: { value: string }) => (
  <span class="code" title={value}>
    {`${value.slice(0, 16)}…`}
  </span>
);

const show = (x: unknown) =>
  x === null || x === undefined ? '—' : typeof x === 'string' ? x : JSON.stringify(x);

function Changes({ v, previous, changes }: { v: View; previous: number; changes: StoredChange[] }) {
  return (
    <section>
      <h2>{v.t('reports.changes.title', { previous })}</h2>
      {changes.length === 0 ? (
        <p class="notice notice-ok">{v.t('reports.changes.none', { previous })}</p>
      ) : (
        <table class="grid compact">
          <thead>
            <tr>
              <th scope="col">{v.t('reports.changes.figure')}</th>
              <th scope="col" class="num">
                {v.t('reports.changes.before')}
              </th>
              <th scope="col" class="num">
                {v.t('reports.changes.after')}
              </th>
            </tr>
          </thead>
          <tbody>
            {changes.map((ch) => (
              <tr>
                <td class="code">{ch.path}</td>
                <td class="num">{show(ch.before)}</td>
                <td class="num">{show(ch.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function GenerateForm({
  v,
  kind,
  period,
  error,
}: {
  v: View;
  kind?: string;
  period?: string;
  error?: string;
}) {
  return (
    <form method="post" action="/reports" class="filters">
      <Csrf v={v} />
      <Select
        v={v}
        name="kind"
        label="reports.kind"
        value={kind ?? 'monthly'}
        options={REPORT_KINDS.map((k) => ({ value: k, label: v.t(`reports.kinds.${k}`) }))}
      />
      <div class="field">
        <label for="f-period">{v.t('reports.period')}</label>
        <input id="f-period" name="period" type="text" required value={period ?? ''} placeholder="2026-03" />
      </div>
      <div class="filter-actions">
        <button type="submit" class="btn btn-primary">
          {v.t('reports.generate.submit')}
        </button>
      </div>
      <p class="hint">{v.t('reports.generate.hint')}</p>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

async function listPage(
  c: Context<AppEnv>,
  form: { kind?: string; period?: string; error?: string } = {},
  status: 200 | 400 | 422 = 200,
) {
  const kindQ = c.req.query('kind');
  const kind = isKind(kindQ) ? kindQ : undefined;
  const rows = await listReports(c.get('deps').db, { kind });
  const canCreate = c.get('principal').ability.can('create', 'Report');
  return renderPage(c, {
    title: 'reports.title',
    status,
    body: (v) => (
      <>
        <p class="lead">{v.t('reports.lead')}</p>
        {canCreate ? (
          <section>
            <h2>{v.t('reports.generate.title')}</h2>
            <GenerateForm v={v} {...form} />
          </section>
        ) : null}
        <p class="tags">
          <a class={kind ? 'tag' : 'tag current'} href="/reports">
            {v.t('reports.all')}
          </a>
          {REPORT_KINDS.map((k) => (
            <a class={kind === k ? 'tag current' : 'tag'} href={`/reports?kind=${k}`}>
              {v.t(`reports.kinds.${k}`)}
            </a>
          ))}
        </p>
        {rows.length === 0 ? (
          <Empty v={v} text={v.t('reports.none')} />
        ) : (
          <Grid
            rows={rows}
            columns={[
              { head: v.t('reports.kind'), cell: (r) => v.t(`reports.kinds.${r.kind}`) },
              {
                head: v.t('reports.period'),
                cell: (r) => <a href={`/reports/${r.kind}/${r.period}`}>{r.period}</a>,
              },
              { head: v.t('reports.latest'), num: true, cell: (r) => r.version },
              { head: v.t('reports.generatedAt'), cell: (r) => v.dateTime(new Date(r.createdAt)) },
              {
                head: 'PDF',
                cell: (r) => (
                  <a href={`/api/reports/${r.kind}/${r.period}/pdf?locale=${v.locale}`}>
                    {v.t('reports.pdf')}
                  </a>
                ),
              },
            ]}
          />
        )}
      </>
    ),
  });
}

reportPages.get(reportsPage.path, pageGuard(reportsPage), (c) => listPage(c));

/** Generates a version and opens it; a bad period or one not over yet is shown on the form. */
async function generateAndOpen(
  c: Context<AppEnv>,
  kind: string,
  period: string,
  onError: (e: string, status: 400 | 422) => Promise<Response>,
) {
  const p = c.get('principal');
  if (!p.ability.can('create', 'Report')) return forbiddenPage(c);
  if (!isKind(kind)) return onError(`kind: ${kind}`, 400);
  const { db, config } = c.get('deps');
  try {
    const key = parsePeriod(kind, period.trim()).key;
    const v = await generateReport(db, {
      kind,
      period: key,
      timeZone: config.timeZone,
      actor: p.kind === 'public' ? 'public' : `${p.kind}:${p.name}`,
      trigger: 'request',
    });
    return c.redirect(`/reports/${kind}/${key}?v=${v!.version}`, 303);
  } catch (err) {
    if (err instanceof AppError && (err.code === 'VALIDATION_FAILED' || err.code === 'UNPROCESSABLE')) {
      const msg = err.errors?.map((e) => e.message).join('; ') || err.message;
      return onError(msg, err.code === 'VALIDATION_FAILED' ? 400 : 422);
    }
    throw err;
  }
}

reportPages.post(reportsPage.path, pageGuard(reportsPage), async (c) => {
  const body = await c.req.parseBody();
  const kind = typeof body.kind === 'string' ? body.kind : '';
  const period = typeof body.period === 'string' ? body.period : '';
  return generateAndOpen(c, kind, period, (error, status) => listPage(c, { kind, period, error }, status));
});

async function viewPage(c: Context<AppEnv>, kind: ReportKind, period: string, notice?: string) {
  const { db } = c.get('deps');
  const locale = localeParam(c);
  const row = await getReportVersion(db, { kind, period, locale, version: versionParam(c.req.query('v')) });
  const history = await reportHistory(db, kind, period, locale);
  const canCreate = c.get('principal').ability.can('create', 'Report');
  const q = `version=${row.version}&locale=${locale}`;
  return renderPage(c, {
    title: `${row.period} · ${kindLabel(c, kind)}`,
    titleText: true,
    actions: (v) => (
      <>
        <a class="btn btn-primary" href={`/api/reports/${kind}/${period}/pdf?${q}`}>
          {v.t('reports.pdf')}
        </a>
        <a class="btn" href={`/api/reports/${kind}/${period}/html?${q}`}>
          {v.t('reports.html')}
        </a>
        {canCreate ? (
          <form method="post" action={`/reports/${kind}/${period}`} class="inline">
            <Csrf v={v} />
            <button type="submit" class="btn">
              {v.t('reports.generate.again')}
            </button>
          </form>
        ) : null}
      </>
    ),
    body: (v) => (
      <>
        {notice ? (
          <p class="notice notice-ok" role="status">
            {notice}
          </p>
        ) : null}
        <Facts
          rows={[
            [
              v.t('reports.version'),
              v.t('reports.versionOf', { version: row.version, count: history.length }),
            ],
            [v.t('reports.generatedAt'), v.dateTime(row.createdAt)],
            [v.t('reports.generatedBy'), row.createdBy],
            [v.t('reports.trigger'), v.t(`reports.triggers.${row.trigger}`)],
            [v.t('reports.pdfSha'), <Hash value={row.sha256} />],
            [v.t('reports.numbersSha'), <Hash value={row.numbersSha256} />],
            [
              v.t('reports.versions'),
              <span class="tags">
                {history.map((h) => (
                  <a
                    class={h.version === row.version ? 'tag current' : 'tag'}
                    href={`/reports/${kind}/${period}?v=${h.version}`}
                  >
                    {`v${h.version}`}
                  </a>
                ))}
              </span>,
            ],
          ]}
        />
        {row.changes ? <Changes v={v} previous={row.version - 1} changes={row.changes} /> : null}
        <Document row={row} />
      </>
    ),
  });
}

function kindLabel(c: Context<AppEnv>, kind: ReportKind) {
  return translator(localeOf(c))(`reports.kinds.${kind}`);
}

reportPages.get('/reports/:kind/:period', pageGuard(reportsPage), async (c) => {
  const kind = c.req.param('kind');
  if (!isKind(kind)) throw new AppError('NOT_FOUND', `no report kind ${kind}`);
  return viewPage(c, kind, parsePeriodOr404(kind, c.req.param('period')));
});

reportPages.post('/reports/:kind/:period', pageGuard(reportsPage), async (c) => {
  const kind = c.req.param('kind');
  const period = c.req.param('period');
  return generateAndOpen(c, kind, period, (error, status) => listPage(c, { kind, period, error }, status));
});

function parsePeriodOr404(kind: ReportKind, key: string) {
  try {
    return parsePeriod(kind, key).key;
  } catch {
    throw new AppError('NOT_FOUND', `no ${kind} period ${key}`);
  }
}

// ---- public: the quarterly publication, no login ---------------------------------------------------

const publicGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('principal').ability.can('read', 'PublicPage')) return forbiddenPage(c);
  await next();
};

reportPages.get('/public/reports', publicGuard, async (c) => {
  const rows = await listReports(c.get('deps').db, { kind: 'quarterly' });
  return renderPage(c, {
    title: 'reports.public.title',
    body: (v) => (
      <>
        <p class="lead">{v.t('reports.public.lead')}</p>
        {rows.length === 0 ? (
          <Empty v={v} text={v.t('reports.public.none')} />
        ) : (
          <Grid
            rows={rows}
            columns={[
              {
                head: v.t('reports.public.quarter'),
                cell: (r) => <a href={`/public/reports/${r.period}`}>{r.period}</a>,
              },
              { head: v.t('reports.version'), num: true, cell: (r) => r.version },
              {
                head: 'PDF',
                cell: (r) => (
                  <a href={`/api/public/reports/${r.period}/pdf?locale=${v.locale}`}>{v.t('reports.pdf')}</a>
                ),
              },
            ]}
          />
        )}
      </>
    ),
  });
});

reportPages.get('/public/reports/:period', publicGuard, async (c) => {
  const period = parsePeriodOr404('quarterly', c.req.param('period'));
  const locale = localeParam(c);
  const row = await getReportVersion(c.get('deps').db, {
    kind: 'quarterly',
    period,
    locale,
    version: versionParam(c.req.query('v')),
  });
  return renderPage(c, {
    title: `${period} · ${kindLabel(c, 'quarterly')}`,
    titleText: true,
    actions: (v) => (
      <a
        class="btn btn-primary"
        href={`/api/public/reports/${period}/pdf?version=${row.version}&locale=${locale}`}
      >
        {v.t('reports.pdf')}
      </a>
    ),
    body: () => <Document row={row} />,
  });
});
