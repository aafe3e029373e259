/**
 * The case ledger's pages: the clerk's "我的办件" (their open cases, most urgent first, so red
 * before yellow before green), the ledger with its filters (keyset-paged: fast at a million
 * cases), and one case with its timeline, each event's authority decision and anomalies, the
 * deadlines as of today, and its red cards. Applicant data is masked for roles that may not read
 * it; a clerk sees only the cases they acted on.
 *
 * @example
 * // GET /cases/mine
 * // GET /cases?light=red&business=construction-permit
 * // GET /cases/QZJS-2026-000123
 */
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { getCalendar } from '../calendar/index.ts';
import { listItems } from '../org/service.ts';
import type { AppEnv } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { Empty, Facts, Grid, Select } from '../web/components.tsx';
import { notFoundPage, pageErrorHandler, pageGuard } from '../web/guard.tsx';
import { labelOr } from '../web/i18n.ts';
import { FilterForm, StaffLink, textParam } from '../web/org-shared.tsx';
import { registerPage } from '../web/registry.ts';
import { renderPage, type View } from '../web/render.tsx';
import { CASE_STATES, LIGHTS, type Light } from './clock.ts';
import { actionNames, type CaseAction, CHANNELS, ROUTES } from './contract.ts';
import { type CaseDetail, caseDetail, listRowOut } from './detail.ts';
import { type CaseFilters, listCases } from './query.ts';
import { mayReadApplicant, readsAllCases } from './routes.ts';

export const myCasesPage = registerPage({
  path: '/cases/mine',
  navKey: 'nav.myCases',
  descKey: 'nav.desc.myCases',
  section: 'work',
  can: ['read', 'Case'],
  order: 20,
});

export const ledgerPage = registerPage({
  path: '/cases',
  navKey: 'nav.cases',
  descKey: 'nav.desc.cases',
  section: 'supervision',
  can: ['read', 'Case'],
  order: 10,
});

export const casePages = new Hono<AppEnv>();
casePages.onError(pageErrorHandler);

const PAGE = 50;
type Row = ReturnType<typeof listRowOut>;

const oneOf = <T extends string>(values: readonly T[], s: string | undefined): T | undefined =>
  s && (values as readonly string[]).includes(s) ? (s as T) : undefined;
const dateParam = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined);

export function LightBadge({ v, light }: { v: View; light: Light }) {
  if (light === 'none') return <span class="muted">{v.t('cases.light.none')}</span>;
  // Red and yellow also carry the warning badge, so they stand out with the shared styles alone.
  const cls =
    light === 'green' ? `badge badge-soft light light-${light}` : `badge badge-warn light light-${light}`;
  return <span class={cls}>{v.t(`cases.light.${light}`)}</span>;
}

const stateLabel = (v: View, s: string) => labelOr(v.locale, `cases.state.${s}`, s);
const routeLabel = (v: View, s: string) => labelOr(v.locale, `cases.route.${s}`, s);
const channelLabel = (v: View, s: string) => labelOr(v.locale, `cases.channel.${s}`, s);

function CaseTable({ v, rows }: { v: View; rows: Row[] }) {
  return (
    <Grid
      rows={rows}
      columns={[
        {
          head: v.t('cases.light.title'),
          class: 'nowrap',
          cell: (r) => <LightBadge v={v} light={r.light} />,
        },
        {
          head: v.t('cases.caseNo'),
          class: 'nowrap',
          cell: (r) => (
            <>
              <a href={`/cases/${encodeURIComponent(r.caseNo)}`}>
                <span class="code">{r.caseNo}</span>
              </a>
              {r.anomalies.length ? <span class="badge badge-warn">{v.t('cases.anomalous')}</span> : null}
            </>
          ),
        },
        { head: v.t('cases.item'), cell: (r) => <span class="code">{r.itemCode}</span> },
        { head: v.t('cases.applicant'), cell: (r) => r.applicant.name },
        {
          head: v.t('cases.stateTitle'),
          class: 'nowrap',
          cell: (r) => (
            <>
              {stateLabel(v, r.state)}
              {r.clockStoppedSince ? <span class="badge badge-soft">{v.t('cases.stopped')}</span> : null}
            </>
          ),
        },
        { head: v.t('cases.received'), class: 'nowrap', cell: (r) => v.dateTime(new Date(r.receivedAt)) },
        { head: v.t('cases.committedDue'), class: 'nowrap', cell: (r) => v.date(r.committedDue) },
        { head: v.t('cases.daysLeft'), num: true, cell: (r) => r.daysLeft ?? '' },
        {
          head: v.t('cases.responsible'),
          class: 'nowrap',
          cell: (r) => (r.responsible ? <span class="code">{r.responsible}</span> : ''),
        },
      ]}
    />
  );
}

function NextLink({ v, cursor }: { v: View; cursor: string | null }) {
  if (!cursor) return null;
  return (
    <nav class="pager" aria-label={v.t('pager.label')}>
      <span class="pager-pages">
        <a href={v.withQuery({ cursor })} rel="next">
          {v.t('pager.next')}
        </a>
      </span>
    </nav>
  );
}

casePages.get(myCasesPage.path, pageGuard(myCasesPage), async (c) => {
  const { db, config } = c.get('deps');
  const p = c.get('principal');
  const today = localDate(new Date(), config.timeZone);
  const cursor = textParam(c.req.query('cursor'), 500);
  const page = p.staffNo
    ? await listCases(
        db,
        { clerk: p.staffNo, open: true },
        { today, timeZone: config.timeZone, sort: 'due', limit: PAGE, cursor },
      )
    : null;
  const calendar = getCalendar();
  const may = mayReadApplicant(p);
  const rows = page?.rows.map((r) => listRowOut(r, today, calendar, may)) ?? [];
  return renderPage(c, {
    title: 'nav.myCases',
    body: (v) =>
      !p.staffNo ? (
        <p class="notice notice-warn">{v.t('cases.mine.noStaff')}</p>
      ) : rows.length === 0 ? (
        <Empty v={v} text={v.t('cases.mine.none')} />
      ) : (
        <>
          <p class="lead">{v.t('cases.mine.lead', { n: rows.length })}</p>
          <CaseTable v={v} rows={rows} />
          <NextLink v={v} cursor={page?.nextCursor ?? null} />
        </>
      ),
  });
});

casePages.get(ledgerPage.path, pageGuard(ledgerPage), async (c) => {
  const { db, config } = c.get('deps');
  const p = c.get('principal');
  const q = (k: string) => c.req.query(k);
  const today = localDate(new Date(), config.timeZone);
  const state = oneOf(CASE_STATES, q('state'));
  const light = oneOf(LIGHTS, q('light'));
  const route = oneOf(ROUTES, q('route'));
  const channel = oneOf(CHANNELS, q('channel'));
  const item = textParam(q('item'), 64);
  const business = textParam(q('business'), 64);
  const clerk = textParam(q('clerk'), 64);
  const filters: CaseFilters = {
    state: state ? [state] : undefined,
    light: light ? [light] : undefined,
    route: route ? [route] : undefined,
    channel: channel ? [channel] : undefined,
    item: item ? [item] : undefined,
    business: business ? [business] : undefined,
    clerk,
    receivedFrom: dateParam(q('receivedFrom')),
    receivedTo: dateParam(q('receivedTo')),
    completedFrom: dateParam(q('completedFrom')),
    completedTo: dateParam(q('completedTo')),
  };
  if (!readsAllCases(p)) filters.clerk = p.staffNo ?? '';
  const sortQ = q('sort');
  const sort = sortQ === 'due' || sortQ === 'completed' || sortQ === 'received' ? sortQ : undefined;
  const [page, items] = await Promise.all([
    listCases(db, filters, {
      today,
      timeZone: config.timeZone,
      sort,
      limit: PAGE,
      cursor: textParam(q('cursor'), 500),
    }),
    listItems(db),
  ]);
  const calendar = getCalendar();
  const may = mayReadApplicant(p);
  const rows = page.rows.map((r) => listRowOut(r, today, calendar, may));
  const businesses = [...new Set(items.map((i) => i.business))].sort();
  const dateField = (v: View, name: string, label: string) => (
    <div class="field">
      <label for={`f-${name}`}>{v.t(label)}</label>
      <input id={`f-${name}`} name={name} type="date" value={q(name) ?? ''} />
    </div>
  );
  return renderPage(c, {
    title: 'nav.cases',
    body: (v) => (
      <>
        <FilterForm v={v} reset={ledgerPage.path}>
          <Select
            v={v}
            name="light"
            label="cases.light.title"
            value={light}
            empty="common.all"
            autosubmit
            options={LIGHTS.map((l) => ({ value: l, label: v.t(`cases.light.${l}`) }))}
          />
          <Select
            v={v}
            name="state"
            label="cases.stateTitle"
            value={state}
            empty="common.all"
            autosubmit
            options={CASE_STATES.map((s) => ({ value: s, label: stateLabel(v, s) }))}
          />
          <Select
            v={v}
            name="business"
            label="cases.business"
            value={business}
            empty="common.all"
            autosubmit
            options={businesses.map((b) => ({ value: b, label: labelOr(v.locale, `business.${b}`, b) }))}
          />
          <Select
            v={v}
            name="item"
            label="cases.item"
            value={item}
            empty="common.all"
            options={items.map((i) => ({ value: i.code, label: `${i.code} ${i.name}` }))}
          />
          <Select
            v={v}
            name="route"
            label="cases.routeTitle"
            value={route}
            empty="common.all"
            options={ROUTES.map((r) => ({ value: r, label: routeLabel(v, r) }))}
          />
          <Select
            v={v}
            name="channel"
            label="cases.channelTitle"
            value={channel}
            empty="common.all"
            options={CHANNELS.map((r) => ({ value: r, label: channelLabel(v, r) }))}
          />
          {readsAllCases(p) ? (
            <div class="field">
              <label for="f-clerk">{v.t('cases.clerk')}</label>
              <input id="f-clerk" name="clerk" type="search" value={clerk ?? ''} />
            </div>
          ) : null}
          {dateField(v, 'receivedFrom', 'cases.receivedFrom')}
          {dateField(v, 'receivedTo', 'cases.receivedTo')}
          {dateField(v, 'completedFrom', 'cases.completedFrom')}
          {dateField(v, 'completedTo', 'cases.completedTo')}
          <Select
            v={v}
            name="sort"
            label="cases.sort"
            value={sort ?? (filters.completedFrom || filters.completedTo ? 'completed' : 'received')}
            autosubmit
            options={[
              { value: 'received', label: v.t('cases.sortReceived') },
              { value: 'due', label: v.t('cases.sortDue') },
              { value: 'completed', label: v.t('cases.sortCompleted') },
            ]}
          />
        </FilterForm>
        {rows.length === 0 ? (
          <Empty v={v} text={v.t('cases.none')} />
        ) : (
          <>
            <CaseTable v={v} rows={rows} />
            <NextLink v={v} cursor={page.nextCursor} />
          </>
        )}
      </>
    ),
  });
});

function Authority({ v, a }: { v: View; a: CaseDetail['events'][number]['authority'] }) {
  if (a.allowed === null) return <span class="muted">{v.t('cases.authority.none')}</span>;
  return (
    <div>
      <span class={a.allowed ? 'yes' : 'no'}>
        {v.t(a.allowed ? 'cases.authority.allowed' : 'cases.authority.denied')}
      </span>
      {a.post ? (
        <>
          {' '}
          <span class="code">{a.post}</span>
        </>
      ) : null}
      {a.via === 'acting-for' ? (
        <span class="badge badge-soft">{v.t('cases.authority.actingFor', { who: a.actingFor ?? '' })}</span>
      ) : null}
      {a.rule ? (
        <div class="muted">
          {a.rule.file} · {a.rule.grant}
        </div>
      ) : null}
      {!a.allowed && a.reasons.length ? (
        <ul class="plain muted">
          {a.reasons.map((r) => (
            <li>{r}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

casePages.get('/cases/:no', pageGuard(ledgerPage), async (c) => {
  const { db, config } = c.get('deps');
  const p = c.get('principal');
  const no = c.req.param('no');
  const d = await caseDetail(db, no, {
    asOf: new Date(),
    timeZone: config.timeZone,
    mayReadApplicant: mayReadApplicant(p),
    locale: p.locale,
  });
  if (!d || (!readsAllCases(p) && !d.clock?.actors.includes(p.staffNo ?? ''))) return notFoundPage(c, no);
  const k = d.clock;
  const dash = (x: Child) => (x === null || x === undefined || x === '' ? <span class="muted">—</span> : x);
  return renderPage(c, {
    title: 'cases.case.title',
    titleParams: { no },
    actions: (v) => (k ? <LightBadge v={v} light={k.light} /> : null),
    body: (v) => (
      <>
        <div class="split">
          <section class="panel">
            <h2>{v.t('cases.case.facts')}</h2>
            <Facts
              rows={[
                [v.t('cases.item'), `${d.case.itemCode} ${d.case.itemName ?? ''}`],
                [v.t('cases.routeTitle'), routeLabel(v, d.case.route)],
                [v.t('cases.channelTitle'), channelLabel(v, d.case.channel)],
                [v.t('cases.received'), v.dateTime(new Date(d.case.receivedAt))],
                [
                  v.t('cases.applicant'),
                  `${d.case.applicant.name} (${d.case.applicant.id})${d.case.applicant.masked ? ` · ${v.t('cases.masked')}` : ''}`,
                ],
                [
                  v.t('cases.project'),
                  dash(
                    d.case.project
                      ? `${d.case.project.name}${d.case.project.key ? ` · ${v.t('cases.keyProject')}` : ''}`
                      : null,
                  ),
                ],
                [v.t('cases.stateTitle'), k ? stateLabel(v, k.state) : ''],
                [
                  v.t('cases.responsible'),
                  k?.responsible ? <StaffLink no={k.responsible} name={null} /> : dash(null),
                ],
              ]}
            />
          </section>
          <section class="panel">
            <h2>{v.t('cases.case.deadlines')}</h2>
            {k ? (
              <Facts
                rows={[
                  [
                    v.t('cases.acceptance'),
                    `${v.date(k.acceptedOn) || '—'} · ${v.t(`cases.acceptanceKind.${k.acceptance}`)}`,
                  ],
                  [
                    v.t('cases.committedDue'),
                    dash(
                      k.committedDue
                        ? `${v.date(k.committedDue)} (${k.committedDays} ${v.t('cases.workingDays')})`
                        : null,
                    ),
                  ],
                  [
                    v.t('cases.statutoryDue'),
                    dash(
                      k.statutoryDue
                        ? `${v.date(k.statutoryDue)} (${k.statutoryDays} ${v.t('cases.workingDays')})`
                        : null,
                    ),
                  ],
                  [
                    v.t('cases.stoppedDays'),
                    `${k.stoppedDays}${k.clockStoppedSince ? ` · ${v.t('cases.stoppedSince', { date: v.date(k.clockStoppedSince) })}` : ''}`,
                  ],
                  [v.t('cases.extensionDays'), String(k.extensionDays)],
                  [v.t('cases.used'), dash(k.workingDaysUsed)],
                  [v.t('cases.daysLeft'), dash(k.daysLeft)],
                  [
                    v.t('cases.completed'),
                    dash(
                      k.completedAt
                        ? `${v.dateTime(new Date(k.completedAt))} · ${v.t(`cases.result.${k.result}`)}${k.overdue ? ` · ${v.t('cases.late')}` : ''}`
                        : null,
                    ),
                  ],
                  ...(k.calendarMissing
                    ? [[v.t('cases.calendarMissing'), v.t('common.yes')] as [string, Child]]
                    : []),
                ]}
              />
            ) : (
              <p class="muted">{v.t('cases.noItem')}</p>
            )}
            {k?.departments.length ? (
              <>
                <h3>{v.t('cases.case.departments')}</h3>
                <ul class="plain">
                  {k.departments.map((dep) => (
                    <li>
                      <span class="code">{dep.department}</span>{' '}
                      {dep.opinion ? (
                        v.t(`cases.opinion.${dep.opinion}`)
                      ) : (
                        <span class="muted">{v.t('cases.opinion.pending')}</span>
                      )}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
          </section>
        </div>
        <section class="panel">
          <h2>{v.t('cases.case.timeline')}</h2>
          <Grid
            rows={d.events}
            columns={[
              { head: v.t('cases.seq'), num: true, cell: (e) => e.seq },
              { head: v.t('cases.at'), class: 'nowrap', cell: (e) => v.dateTime(new Date(e.at)) },
              {
                head: v.t('cases.action'),
                cell: (e) =>
                  v.locale === 'en' ? e.action : (actionNames[e.action as CaseAction] ?? e.action),
              },
              {
                head: v.t('cases.actor'),
                class: 'nowrap',
                cell: (e) => <StaffLink no={e.actor} name={null} />,
              },
              { head: v.t('cases.authority.title'), cell: (e) => <Authority v={v} a={e.authority} /> },
              {
                head: v.t('cases.anomaliesTitle'),
                cell: (e) =>
                  e.anomalies.length ? (
                    <ul class="plain">
                      {e.anomalies.map((a) => (
                        <li>
                          <span class="badge badge-warn">{a.text}</span>
                        </li>
                      ))}
                    </ul>
                  ) : null,
              },
            ]}
          />
        </section>
        {d.alerts.length ? (
          <section class="panel">
            <h2>{v.t('cases.case.alerts')}</h2>
            <ul class="plain">
              {d.alerts.map((a) => (
                <li>
                  {v.t('cases.redCard', { date: v.date(a.raisedOn), staff: a.staffNo ?? '' })}
                  {a.resolvedAt
                    ? ` · ${v.t('cases.resolved', { date: v.dateTime(new Date(a.resolvedAt)) })}`
                    : ''}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </>
    ),
  });
});
