/**
 * Staff: the list with search (name or number), department and competency filters, ordered by
 * number or by time in post, paged in SQL so it stays fast with 10,000 staff; HR's "人员" (the
 * same list, longest in post first, with declared conflicts); and one person's record.
 *
 * @example
 * // GET /org/staff?q=陈&department=D-APPROVAL&business=construction-permit&sort=tenure&page=2
 * // GET /people        (HR)
 * // GET /org/staff/S003
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { businessCodes, orgChoices, searchStaff, staffProfile } from '../org/query.ts';
import type { AppEnv } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { Empty, Facts, Grid, Pager, Select } from './components.tsx';
import { notFoundPage, pageGuard } from './guard.tsx';
import { formatTenure, labelOr, monthsBetween } from './i18n.ts';
import {
  Businesses,
  businessLabel,
  FilterForm,
  PAGE_SIZE,
  pageParam,
  StaffLink,
  tenure,
  textParam,
  todayOf,
} from './org-shared.tsx';
import { registerPage } from './registry.ts';
import { renderPage } from './render.tsx';

export const staffPage = registerPage({
  path: '/org/staff',
  navKey: 'nav.staff',
  descKey: 'nav.desc.staff',
  section: 'org',
  can: ['read', 'Org'],
  order: 30,
});
/**
 * HR's "人员": the staff list, longest in post first (who is due to rotate), with the declared
 * conflicts of interest that only those who may read Staff records see.
 */
export const peoplePage = registerPage({
  path: '/people',
  navKey: 'nav.people',
  descKey: 'nav.desc.people',
  section: 'people',
  can: ['read', 'Staff'],
  order: 20,
});

export const staffPages = new Hono<AppEnv>();

interface StaffListOptions {
  path: string;
  title: string;
  defaultSort: 'no' | 'tenure';
  /** Show how many conflicts of interest each person declared (HR's view). */
  conflicts: boolean;
}

async function staffList(c: Context<AppEnv>, o: StaffListOptions) {
  const { db, config } = c.get('deps');
  const today = localDate(new Date(), config.timeZone);
  const q = textParam(c.req.query('q'));
  const department = textParam(c.req.query('department'), 64);
  const business = textParam(c.req.query('business'), 64);
  const sortQ = c.req.query('sort');
  const sort = sortQ === 'tenure' || sortQ === 'no' ? sortQ : o.defaultSort;
  const page = pageParam(c.req.query('page'));
  const [result, choices, businesses] = await Promise.all([
    searchStaff(db, { q, department, business, sort, page, pageSize: PAGE_SIZE, today }),
    orgChoices(db),
    businessCodes(db),
  ]);
  return renderPage(c, {
    title: o.title,
    body: (v) => (
      <>
        <FilterForm v={v} reset={o.path}>
          <div class="field">
            <label for="f-q">{v.t('org.staff.q')}</label>
            <input id="f-q" name="q" type="search" value={q ?? ''} placeholder={v.t('org.staff.qHint')} />
          </div>
          <Select
            v={v}
            name="department"
            label="org.staff.department"
            value={department}
            empty="common.all"
            autosubmit
            options={choices.departments.map((d) => ({ value: d.code, label: d.name }))}
          />
          <Select
            v={v}
            name="business"
            label="org.staff.business"
            value={business}
            empty="common.all"
            autosubmit
            options={businesses.map((b) => ({ value: b, label: businessLabel(v, b) }))}
          />
          <Select
            v={v}
            name="sort"
            label="org.staff.sort"
            value={sort}
            autosubmit
            options={[
              { value: 'no', label: v.t('org.staff.sortNo') },
              { value: 'tenure', label: v.t('org.staff.sortTenure') },
            ]}
          />
        </FilterForm>
        {result.total === 0 ? (
          <Empty v={v} text={v.t('org.staff.none')} />
        ) : (
          <>
            <Pager v={v} page={page} pageSize={PAGE_SIZE} total={result.total} />
            <Grid
              rows={result.rows}
              columns={[
                {
                  head: v.t('org.staff.person'),
                  class: 'nowrap',
                  cell: (s) => <StaffLink no={s.no} name={s.name} />,
                },
                { head: v.t('org.staff.department'), cell: (s) => s.departmentName ?? s.department },
                {
                  head: v.t('org.staff.posts'),
                  cell: (s) =>
                    s.posts.length === 0 ? (
                      <span class="muted">—</span>
                    ) : (
                      <ul class="plain">
                        {s.posts.map((p) => (
                          <li>
                            <span class={`badge badge-ab badge-${p.role.toLowerCase()}`}>{p.role}</span>{' '}
                            {p.postName ?? p.post}
                            {p.key ? <span class="badge badge-key">{v.t('org.posts.key')}</span> : null}
                          </li>
                        ))}
                      </ul>
                    ),
                },
                { head: v.t('org.staff.since'), class: 'nowrap', cell: (s) => v.date(s.since) },
                { head: v.t('org.staff.tenure'), class: 'nowrap', cell: (s) => tenure(v, s.since) },
                {
                  head: v.t('org.staff.competencies'),
                  cell: (s) => <Businesses v={v} codes={s.competencies} />,
                },
                { head: v.t('org.staff.hiredOn'), class: 'nowrap', cell: (s) => v.date(s.hiredOn) },
                o.conflicts && {
                  head: v.t('org.staff.conflictsShort'),
                  num: true,
                  cell: (s) => s.conflicts || '',
                },
              ]}
            />
            <Pager v={v} page={page} pageSize={PAGE_SIZE} total={result.total} />
          </>
        )}
      </>
    ),
  });
}

staffPages.get(staffPage.path, pageGuard(staffPage), (c) =>
  staffList(c, { path: staffPage.path, title: 'org.staff.title', defaultSort: 'no', conflicts: false }),
);

staffPages.get(peoplePage.path, pageGuard(peoplePage), (c) =>
  staffList(c, {
    path: peoplePage.path,
    title: 'org.staff.titleTenure',
    defaultSort: 'tenure',
    conflicts: true,
  }),
);

staffPages.get('/org/staff/:no', pageGuard(staffPage), async (c) => {
  const { db } = c.get('deps');
  const person = await staffProfile(db, c.req.param('no'));
  if (!person) return notFoundPage(c, c.req.param('no'));
  // Declared conflicts of interest are personal: only those who may read Staff records see them.
  const seesConflicts = c.get('principal').ability.can('read', 'Staff');
  return renderPage(c, {
    title: `${person.name} (${person.no})`,
    titleText: true,
    body: (v) => (
      <>
        <p>
          <a href={staffPage.path}>← {v.t('org.staff.back')}</a>
        </p>
        <Facts
          rows={[
            [v.t('org.staff.no'), <span class="code">{person.no}</span>],
            [v.t('org.staff.department'), person.departmentName ?? person.department],
            [v.t('org.staff.hiredOn'), v.date(person.hiredOn) || '—'],
            [v.t('org.staff.competencies'), <Businesses v={v} codes={person.competencies} />],
            [
              v.t('org.staff.status'),
              person.active
                ? v.t('org.active')
                : v.t('org.inactiveFrom', { date: v.date(person.inactiveFrom) }),
            ],
            ...(seesConflicts
              ? ([
                  [
                    v.t('org.staff.conflicts'),
                    person.conflicts.length === 0 ? (
                      v.t('common.none')
                    ) : (
                      <ul class="plain">
                        {person.conflicts.map((k) => (
                          <li>
                            {labelOr(v.locale, `org.conflictKind.${k.kind}`, k.kind)}
                            {k.item ? (
                              <>
                                {' · '}
                                <a href={`/org/items/${encodeURIComponent(k.item)}`}>{k.item}</a>
                              </>
                            ) : null}
                            {k.note ? ` · ${k.note}` : ''}
                          </li>
                        ))}
                      </ul>
                    ),
                  ],
                ] as [string, Child][])
              : []),
          ]}
        />
        <h2>{v.t('org.staff.history')}</h2>
        {person.history.length === 0 ? (
          <Empty v={v} />
        ) : (
          <Grid
            rows={person.history.map((h) => ({ ...h, end: h.to ?? (h.active ? null : h.inactiveFrom) }))}
            rowAttrs={(h) => ({ class: h.end ? 'past' : undefined })}
            columns={[
              {
                head: v.t('org.posts.post'),
                cell: (h) => (
                  <>
                    {h.postName ?? h.post} <span class="code">{h.post}</span>
                  </>
                ),
              },
              {
                head: v.t('org.staff.role'),
                cell: (h) => (
                  <>
                    <span class={`badge badge-ab badge-${h.role.toLowerCase()}`}>{h.role}</span>{' '}
                    {v.t(h.role === 'A' ? 'org.staff.roleA' : 'org.staff.roleB')}
                  </>
                ),
              },
              { head: v.t('org.staff.from'), class: 'nowrap', cell: (h) => v.date(h.from) },
              {
                head: v.t('org.staff.to'),
                class: 'nowrap',
                cell: (h) => (h.end ? v.date(h.end) : v.t('org.staff.current')),
              },
              {
                head: v.t('org.staff.duration'),
                class: 'nowrap',
                cell: (h) => formatTenure(monthsBetween(h.from, h.end ?? todayOf(v)), v.t),
              },
            ]}
          />
        )}
        <h2>{v.t('org.staff.absences')}</h2>
        {person.absences.length === 0 ? (
          <Empty v={v} />
        ) : (
          <Grid
            rows={person.absences}
            columns={[
              { head: v.t('org.staff.from'), class: 'nowrap', cell: (a) => v.date(a.from) },
              { head: v.t('org.staff.to'), class: 'nowrap', cell: (a) => v.date(a.to) },
              {
                head: v.t('org.staff.reason'),
                cell: (a) => labelOr(v.locale, `org.absenceReason.${a.reason}`, a.reason),
              },
            ]}
          />
        )}
      </>
    ),
  });
});
