/**
 * "我的权限": a clerk's authority list (授权清单) as a page they can filter and print. Inspectors,
 * leaders and admins may look at anyone's (`?staff=`); a clerk sees their own only.
 *
 * @example
 * // GET /authority/mine                          my powers today
 * // GET /authority/mine?at=2026-03-05&action=approve&q=施工
 * // GET /authority/mine?staff=S012               someone else's (inspector, leader, admin)
 */
import { subject } from '@casl/ability';
import { Hono } from 'hono';
import type { AppEnv } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { Empty, Facts, Grid } from '../web/components.tsx';
import { forbiddenPage, pageErrorHandler, pageGuard } from '../web/guard.tsx';
import { registerPage } from '../web/registry.ts';
import { localeOf, renderPage } from '../web/render.tsx';
import { authorityActions } from './actions.ts';
import {
  conditionsText,
  filterScope,
  holdingText,
  periodText,
  type ScopeFilters,
  scopeText,
  viaText,
} from './scope-view.ts';
import { getAuthorityEngine } from './service.ts';
import { startOfLocalDay } from './time.ts';

export const myAuthorityPage = registerPage({
  path: '/authority/mine',
  navKey: 'nav.myAuthority',
  section: 'work',
  can: ['read', 'Authority'],
  order: 10,
});

export const authorityPages = new Hono<AppEnv>();
authorityPages.onError(pageErrorHandler);

const text = (s: string | undefined, max = 64) => (s ?? '').trim().slice(0, max) || undefined;

authorityPages.get(myAuthorityPage.path, pageGuard(myAuthorityPage), async (c) => {
  const p = c.get('principal');
  const timeZone = c.get('deps').config.timeZone;
  const staff = text(c.req.query('staff')) ?? p.staffNo ?? undefined;
  const today = localDate(new Date(), timeZone);
  const asked = text(c.req.query('at'), 10);
  const date = asked && startOfLocalDay(asked, timeZone) ? asked : today;
  const filters: ScopeFilters = {
    q: text(c.req.query('q'), 100),
    action: (authorityActions as readonly string[]).includes(c.req.query('action') ?? '')
      ? c.req.query('action')
      : undefined,
    via:
      c.req.query('via') === 'own' || c.req.query('via') === 'acting-for'
        ? (c.req.query('via') as ScopeFilters['via'])
        : undefined,
  };
  if (staff && !p.ability.can('read', subject('Authority', { staff }) as any)) return forbiddenPage(c);
  const engine = await getAuthorityEngine(c.get('deps').db);
  const known = staff ? engine.hasStaff(staff) : false;
  // Noon: a day's answer, clear of its edges.
  const scope =
    staff && known
      ? engine.scope(staff, new Date(startOfLocalDay(date, timeZone)!.getTime() + 12 * 3600_000))
      : null;
  const own = !!staff && staff === p.staffNo;
  const locale = localeOf(c);
  const m = scopeText(locale);
  const rows = scope ? filterScope(scope.rows, filters) : [];
  const pdfQuery = new URLSearchParams({
    ...(staff ? { staff } : {}),
    at: date,
    locale,
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.via ? { via: filters.via } : {}),
  });
  return renderPage(c, {
    title: scope && !own ? m('titleOther', { name: scope.name, staff: scope.staff }) : m('title'),
    titleText: true,
    actions: () =>
      scope ? (
        <a class="btn" href={`/api/authority/scope.pdf?${pdfQuery}`} data-testid="print">
          {m('print')}
        </a>
      ) : null,
    body: (v) => (
      <>
        <form method="get" class="filters" data-testid="filters">
          {own ? null : (
            <div class="field">
              <label for="f-staff">{m('filters.staff')}</label>
              <input id="f-staff" name="staff" value={staff ?? ''} />
            </div>
          )}
          <div class="field">
            <label for="f-at">{m('filters.date')}</label>
            <input id="f-at" name="at" type="date" value={date} />
          </div>
          <div class="field">
            <label for="f-q">{m('filters.q')}</label>
            <input id="f-q" name="q" type="search" value={filters.q ?? ''} placeholder={m('filters.qHint')} />
          </div>
          <div class="field">
            <label for="f-action">{m('filters.action')}</label>
            <select id="f-action" name="action" data-autosubmit="">
              <option value="">{v.t('common.all')}</option>
              {authorityActions.map((a) => (
                <option value={a} selected={a === filters.action}>
                  {m(`actions.${a}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-via">{m('filters.via')}</label>
            <select id="f-via" name="via" data-autosubmit="">
              <option value="">{v.t('common.all')}</option>
              {(['own', 'acting-for'] as const).map((x) => (
                <option value={x} selected={x === filters.via}>
                  {m(`via.${x}`, { actingFor: '…' })}
                </option>
              ))}
            </select>
          </div>
          <div class="filter-actions">
            <button type="submit" class="btn btn-primary">
              {v.t('common.search')}
            </button>
            <a class="btn btn-ghost" href={myAuthorityPage.path}>
              {v.t('common.reset')}
            </a>
          </div>
        </form>
        {!staff || !scope ? (
          <Empty v={v} text={staff ? m('unknownStaff', { staff }) : m('chooseStaff')} />
        ) : (
          <>
            <p class="lead">
              {own
                ? m('intro', { date: v.date(scope.date) })
                : m('introOther', { name: scope.name, staff: scope.staff, date: v.date(scope.date) })}
            </p>
            {scope.status === 'active' ? null : (
              <p class="notice notice-warn" data-testid="status">
                {m(`status.${scope.status}`)}: {scope.reasons.join(' ')}
              </p>
            )}
            <Facts
              rows={[
                [m('pdf.status'), m(`status.${scope.status}`)],
                [
                  m('holdings.heading'),
                  scope.holdings.length ? (
                    <ul class="plain">
                      {scope.holdings.map((h) => (
                        <li>{holdingText(m, h, (code) => engine.postName(code))}</li>
                      ))}
                    </ul>
                  ) : (
                    m('holdings.none')
                  ),
                ],
                [
                  m('policyVersion'),
                  <span class="code" title={scope.policyVersion}>
                    {scope.policyVersion.slice(0, 16)}
                  </span>,
                ],
              ]}
            />
            <p class="muted" data-testid="count">
              {m('count', { n: rows.length })}
            </p>
            {rows.length === 0 ? (
              <Empty v={v} text={m('none')} />
            ) : (
              <Grid
                rows={rows}
                testId="scope"
                rowAttrs={(r) => ({ 'data-item': r.item, 'data-action': r.action })}
                columns={[
                  {
                    head: m('columns.item'),
                    cell: (r) => (
                      <>
                        {r.itemName}
                        <div class="code">{r.item}</div>
                      </>
                    ),
                  },
                  { head: m('columns.action'), cell: (r) => m(`actions.${r.action}`) },
                  {
                    head: m('columns.via'),
                    cell: (r) => (
                      <>
                        {viaText(m, r)}
                        <div class="code">{r.post}</div>
                      </>
                    ),
                  },
                  { head: m('columns.rule'), class: 'code', cell: (r) => `${r.rule.file} · ${r.rule.grant}` },
                  { head: m('columns.conditions'), cell: (r) => conditionsText(m, r.when) },
                  { head: m('columns.period'), cell: (r) => periodText(m, r.from, r.to) },
                ]}
              />
            )}
            {scope.separation.length ? (
              <section data-testid="separation">
                <h2>{m('separation.heading')}</h2>
                <p>{m('separation.intro')}</p>
                <ul>
                  {scope.separation.map((s) => (
                    <li>
                      <span class="code">{s.id}</span> {s.message}
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </>
        )}
      </>
    ),
  });
});
