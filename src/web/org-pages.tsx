/**
 * Browsing the organisation: departments and windows, and posts with their A and B holders
 * (AB岗) on the day, filtered by window and key post, paged in SQL (src/org/query.ts). Staff are
 * in staff-pages.tsx, the item catalogue in items-pages.tsx.
 *
 * @example
 * // GET /org/posts?window=W1&key=yes&page=2
 */
import { Hono } from 'hono';
import { orgChoices, orgOverview, postsWithHolders, staffProfile } from '../org/query.ts';
import { getBureau } from '../org/service.ts';
import type { AppEnv } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { Empty, Facts, Grid, Pager, Select, yesNoOptions } from './components.tsx';
import { pageGuard } from './guard.tsx';
import { Businesses, FilterForm, PAGE_SIZE, pageParam, StaffLink, tenure, textParam } from './org-shared.tsx';
import { registerPage } from './registry.ts';
import { renderPage, type View } from './render.tsx';

export const orgOverviewPage = registerPage({
  path: '/org',
  navKey: 'nav.orgUnits',
  descKey: 'nav.desc.orgUnits',
  section: 'org',
  can: ['read', 'Org'],
  order: 10,
});
export const postsPage = registerPage({
  path: '/org/posts',
  navKey: 'nav.posts',
  descKey: 'nav.desc.posts',
  section: 'org',
  can: ['read', 'Org'],
  order: 20,
});

export const orgPages = new Hono<AppEnv>();

orgPages.get(orgOverviewPage.path, pageGuard(orgOverviewPage), async (c) => {
  const { db } = c.get('deps');
  const [overview, bureau] = await Promise.all([orgOverview(db), getBureau(db)]);
  const head = bureau?.head ? await staffProfile(db, bureau.head) : null;
  return renderPage(c, {
    title: 'org.overview.title',
    body: (v) => (
      <>
        {bureau ? (
          <Facts
            rows={[
              [v.t('org.bureau.name'), bureau.name],
              [v.t('org.bureau.code'), <span class="code">{bureau.code}</span>],
              [
                v.t('org.bureau.head'),
                head ? <StaffLink no={head.no} name={head.name} /> : (bureau.head ?? '—'),
              ],
              [v.t('org.bureau.timeZone'), bureau.timeZone],
            ]}
          />
        ) : (
          <Empty v={v} text={v.t('org.empty')} />
        )}
        <h2>{v.t('org.departments.title')}</h2>
        <Grid
          rows={overview.departments}
          columns={[
            { head: v.t('org.code'), class: 'code', cell: (d) => d.code },
            { head: v.t('org.departments.name'), cell: (d) => d.name },
            { head: v.t('org.departments.kind'), cell: (d) => v.t(`org.departmentKind.${d.kind}`) },
            { head: v.t('org.departments.windows'), num: true, cell: (d) => d.windows },
            {
              head: v.t('org.departments.staff'),
              num: true,
              cell: (d) =>
                d.staff > 0 ? (
                  <a href={`/org/staff?department=${encodeURIComponent(d.code)}`}>{d.staff}</a>
                ) : (
                  0
                ),
            },
          ]}
        />
        <h2>{v.t('org.windows.title')}</h2>
        <Grid
          rows={overview.windows}
          columns={[
            { head: v.t('org.code'), class: 'code', cell: (w) => w.code },
            {
              head: v.t('org.windows.name'),
              cell: (w) => <a href={`/org/posts?window=${encodeURIComponent(w.code)}`}>{w.name}</a>,
            },
            { head: v.t('org.windows.department'), cell: (w) => w.departmentName ?? w.department },
            { head: v.t('org.windows.posts'), num: true, cell: (w) => w.posts },
            { head: v.t('org.windows.keyPosts'), num: true, cell: (w) => w.keyPosts },
          ]}
        />
      </>
    ),
  });
});

function HolderCell({
  v,
  list,
  holder,
}: {
  v: View;
  list: { staffNo: string; name: string | null; from: string; absent: boolean }[];
  holder: 'A' | 'B';
}) {
  if (list.length === 0)
    return <span class="badge badge-warn">{v.t(holder === 'A' ? 'org.posts.noA' : 'org.posts.noB')}</span>;
  return (
    <ul class="holders">
      {list.map((h) => (
        <li>
          <StaffLink no={h.staffNo} name={h.name} />
          {h.absent ? <span class="badge badge-warn">{v.t('org.posts.absent')}</span> : null}
          <span class="since">
            {v.t('org.since', { date: v.date(h.from) })} · {tenure(v, h.from)}
          </span>
        </li>
      ))}
    </ul>
  );
}

orgPages.get(postsPage.path, pageGuard(postsPage), async (c) => {
  const { db, config } = c.get('deps');
  const window = textParam(c.req.query('window'), 64);
  const keyQ = c.req.query('key');
  const key = keyQ === 'yes' ? true : keyQ === 'no' ? false : undefined;
  const page = pageParam(c.req.query('page'));
  const today = localDate(new Date(), config.timeZone);
  const [result, choices] = await Promise.all([
    postsWithHolders(db, { today, window, key, page, pageSize: PAGE_SIZE }),
    orgChoices(db),
  ]);
  const list = result.rows;
  return renderPage(c, {
    title: 'org.posts.title',
    body: (v) => (
      <>
        <p class="lead">{v.t('org.posts.lead', { date: v.date(today) })}</p>
        <FilterForm v={v} reset={postsPage.path}>
          <Select
            v={v}
            name="window"
            label="org.posts.window"
            value={window}
            empty="common.all"
            autosubmit
            options={choices.windows.map((w) => ({ value: w.code, label: w.name }))}
          />
          <Select
            v={v}
            name="key"
            label="org.posts.key"
            value={keyQ}
            empty="common.all"
            autosubmit
            options={yesNoOptions(v)}
          />
        </FilterForm>
        {list.length === 0 ? (
          <Empty v={v} />
        ) : (
          <>
            <Pager v={v} page={page} pageSize={PAGE_SIZE} total={result.total} />
            <Grid
              rows={list}
              columns={[
                {
                  head: v.t('org.posts.post'),
                  cell: (p) => (
                    <>
                      {p.name}
                      {p.key ? <span class="badge badge-key">{v.t('org.posts.key')}</span> : null}
                      <div class="code">{p.code}</div>
                    </>
                  ),
                },
                { head: v.t('org.posts.window'), cell: (p) => p.windowName ?? p.window },
                { head: v.t('org.posts.businesses'), cell: (p) => <Businesses v={v} codes={p.businesses} /> },
                { head: v.t('org.posts.holderA'), cell: (p) => <HolderCell v={v} list={p.a} holder="A" /> },
                { head: v.t('org.posts.holderB'), cell: (p) => <HolderCell v={v} list={p.b} holder="B" /> },
              ]}
            />
            <Pager v={v} page={page} pageSize={PAGE_SIZE} total={result.total} />
          </>
        )}
      </>
    ),
  });
});
