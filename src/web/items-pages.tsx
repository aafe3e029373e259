/**
 * The item catalogue: each item's kind (即办件, 承诺件, 联办件), statutory, committed and
 * fast-track limits, online flag, seal rule (审批专用章 or the bureau's seal) and materials
 * (primary, or secondary ones that may be missing under 容缺预审); search, filters and paging.
 *
 * @example
 * // GET /org/items?kind=committed&business=construction-permit&online=yes
 * // GET /org/items/SG-001
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { businessCodes, itemProfile, searchItems } from '../org/query.ts';
import type { AppEnv } from '../platform/http.ts';
import { Empty, Facts, Grid, Pager, Select, YesNo, yesNoOptions } from './components.tsx';
import { notFoundPage, pageGuard } from './guard.tsx';
import { businessLabel, FilterForm, PAGE_SIZE, pageParam, textParam } from './org-shared.tsx';
import { registerPage } from './registry.ts';
import { renderPage, type View } from './render.tsx';

export const itemsPage = registerPage({
  path: '/org/items',
  navKey: 'nav.items',
  descKey: 'nav.desc.items',
  section: 'org',
  can: ['read', 'Catalog'],
  order: 40,
});

export const itemPages = new Hono<AppEnv>();

const kinds = ['instant', 'committed', 'joint'] as const;
const kindParam = z.enum(kinds).optional().catch(undefined);

function Days({ v, n }: { v: View; n: number | null }) {
  if (n === null) return <span class="muted">—</span>;
  return <>{n === 0 ? v.t('items.sameDay') : v.t('items.days', { n })}</>;
}

const sealLabel = (v: View, special: boolean) => v.t(special ? 'items.seal.special' : 'items.seal.bureau');

itemPages.get(itemsPage.path, pageGuard(itemsPage), async (c) => {
  const { db } = c.get('deps');
  const q = textParam(c.req.query('q'));
  const kind = kindParam.parse(c.req.query('kind'));
  const business = textParam(c.req.query('business'), 64);
  const onlineQ = c.req.query('online');
  const online = onlineQ === 'yes' ? true : onlineQ === 'no' ? false : undefined;
  const page = pageParam(c.req.query('page'));
  const [result, businesses] = await Promise.all([
    searchItems(db, { q, kind, business, online, page, pageSize: PAGE_SIZE }),
    businessCodes(db),
  ]);
  return renderPage(c, {
    title: 'items.title',
    body: (v) => (
      <>
        <FilterForm v={v} reset={itemsPage.path}>
          <div class="field">
            <label for="f-q">{v.t('items.q')}</label>
            <input id="f-q" name="q" type="search" value={q ?? ''} placeholder={v.t('items.qHint')} />
          </div>
          <Select
            v={v}
            name="kind"
            label="items.kind"
            value={kind}
            empty="common.all"
            autosubmit
            options={kinds.map((k) => ({ value: k, label: v.t(`items.kinds.${k}`) }))}
          />
          <Select
            v={v}
            name="business"
            label="items.business"
            value={business}
            empty="common.all"
            autosubmit
            options={businesses.map((b) => ({ value: b, label: businessLabel(v, b) }))}
          />
          <Select
            v={v}
            name="online"
            label="items.online"
            value={onlineQ}
            empty="common.all"
            autosubmit
            options={yesNoOptions(v)}
          />
        </FilterForm>
        {result.total === 0 ? (
          <Empty v={v} text={v.t('items.none')} />
        ) : (
          <>
            <Pager v={v} page={page} pageSize={PAGE_SIZE} total={result.total} />
            <Grid
              rows={result.rows}
              columns={[
                {
                  head: v.t('items.item'),
                  cell: (it) => (
                    <>
                      <a href={`/org/items/${encodeURIComponent(it.code)}`}>{it.name}</a>
                      <div class="code">
                        {it.code}
                        {it.atWindow ? '' : ` · ${v.t('items.notAtWindow')}`}
                      </div>
                    </>
                  ),
                },
                { head: v.t('items.business'), cell: (it) => businessLabel(v, it.business) },
                {
                  head: v.t('items.kind'),
                  cell: (it) => (
                    <span class={`badge badge-kind-${it.kind}`}>{v.t(`items.kinds.${it.kind}`)}</span>
                  ),
                },
                {
                  head: v.t('items.statutory'),
                  num: true,
                  cell: (it) => <Days v={v} n={it.statutoryDays} />,
                },
                {
                  head: v.t('items.committed'),
                  num: true,
                  cell: (it) => <Days v={v} n={it.committedDays} />,
                },
                { head: v.t('items.online'), cell: (it) => <YesNo v={v} value={it.online} /> },
                { head: v.t('items.sealRule'), cell: (it) => sealLabel(v, it.specialSeal) },
                { head: v.t('items.materials'), num: true, cell: (it) => it.materials },
              ]}
            />
            <Pager v={v} page={page} pageSize={PAGE_SIZE} total={result.total} />
          </>
        )}
      </>
    ),
  });
});

itemPages.get('/org/items/:code', pageGuard(itemsPage), async (c) => {
  const item = await itemProfile(c.get('deps').db, c.req.param('code'));
  if (!item) return notFoundPage(c, c.req.param('code'));
  return renderPage(c, {
    title: item.name,
    titleText: true,
    body: (v) => (
      <>
        <p>
          <a href={itemsPage.path}>← {v.t('items.back')}</a>
        </p>
        <Facts
          rows={[
            [v.t('items.code'), <span class="code">{item.code}</span>],
            [v.t('items.business'), businessLabel(v, item.business)],
            [v.t('items.kind'), v.t(`items.kinds.${item.kind}`)],
            [v.t('items.statutory'), <Days v={v} n={item.statutoryDays} />],
            [v.t('items.committed'), <Days v={v} n={item.committedDays} />],
            [v.t('items.fastTrack'), <Days v={v} n={item.fastTrackDays} />],
            [v.t('items.online'), <YesNo v={v} value={item.online} />],
            [v.t('items.atWindow'), <YesNo v={v} value={item.atWindow} />],
            [v.t('items.sealRule'), sealLabel(v, item.specialSeal)],
            [v.t('items.department'), item.departmentName ?? item.department ?? '—'],
            [
              v.t('org.staff.status'),
              item.active ? v.t('org.active') : v.t('org.inactiveFrom', { date: v.date(item.inactiveFrom) }),
            ],
          ]}
        />
        <h2>{v.t('items.materialsTitle')}</h2>
        {item.materials.length === 0 ? (
          <Empty v={v} />
        ) : (
          <Grid
            rows={item.materials}
            columns={[
              { head: v.t('items.code'), class: 'code', cell: (m) => m.code },
              { head: v.t('items.materialName'), cell: (m) => m.name },
              {
                head: v.t('items.materialKind'),
                cell: (m) =>
                  m.primary ? (
                    v.t('items.primary')
                  ) : (
                    <span class="badge badge-soft">{v.t('items.secondary')}</span>
                  ),
              },
            ]}
          />
        )}
      </>
    ),
  });
});
