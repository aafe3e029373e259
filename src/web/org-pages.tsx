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
import { Empty, Facts, Pager, Select, yesNoOptions } from './components.tsx';
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
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{v.t('org.code')}</th>
              <th scope="col">{v.t('org.departments.name')}</th>
              <th scope="col">{v.t('org.departments.kind')}</th>
              <th scope="col" class="num">
                {v.t('org.departments.windows')}
              </th>
              <th scope="col" class="num">
                {v.t('org.departments.staff')}
              </th>
            </tr>
          </thead>
          <tbody>
            {overview.departments.map((d) => (
              <tr>
                <td class="code">{d.code}</td>
                <td>{d.name}</td>
                <td>{v.t(`org.departmentKind.${d.kind}`)}</td>
                <td class="num">{d.windows}</td>
                <td class="num">
                  {d.staff > 0 ? (
                    <a href={`/org/staff?department=${encodeURIComponent(d.code)}`}>{d.staff}</a>
                  ) : (
                    0
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{v.t('org.windows.title')}</h2>
        <table class="grid">
          <thead>
            <tr>
              <th scope="col">{v.t('org.code')}</th>
              <th scope="col">{v.t('org.windows.name')}</th>
              <th scope="col">{v.t('org.windows.department')}</th>
              <th scope="col" class="num">
                {v.t('org.windows.posts')}
              </th>
              <th scope="col" class="num">
                {v.t('org.windows.keyPosts')}
              </th>
            </tr>
          </thead>
          <tbody>
            {overview.windows.map((w) => (
              <tr>
                <td class="code">{w.code}</td>
                <td>
                  <a href={`/org/posts?window=${encodeURIComponent(w.code)}`}>{w.name}</a>
                </td>
                <td>{w.departmentName ?? w.department}</td>
                <td class="num">{w.posts}</td>
                <td class="num">{w.keyPosts}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
            <table class="grid">
              <thead>
                <tr>
                  <th scope="col">{v.t('org.posts.post')}</th>
                  <th scope="col">{v.t('org.posts.window')}</th>
                  <th scope="col">{v.t('org.posts.businesses')}</th>
                  <th scope="col">{v.t('org.posts.holderA')}</th>
                  <th scope="col">{v.t('org.posts.holderB')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr>
                    <td>
                      {p.name}
                      {p.key ? <span class="badge badge-key">{v.t('org.posts.key')}</span> : null}
                      <div class="code">{p.code}</div>
                    </td>
                    <td>{p.windowName ?? p.window}</td>
                    <td>
                      <Businesses v={v} codes={p.businesses} />
                    </td>
                    <td>
                      <HolderCell v={v} list={p.a} holder="A" />
                    </td>
                    <td>
                      <HolderCell v={v} list={p.b} holder="B" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager v={v} page={page} pageSize={PAGE_SIZE} total={result.total} />
          </>
        )}
      </>
    ),
  });
});
