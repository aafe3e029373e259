/**
 * The leader's decision queue, a staff member's own record, HR's view of levels and effects, and
 * the statistics (by level, fault type, department, source and month).
 *
 * @example
 * // GET /misconduct/queue     proposals and appeals awaiting a decision (leaders)
 * // GET /misconduct/mine      my decided matters and my 评优评先 status
 * // GET /misconduct/effects   levels and effects per staff member (HR), never facts
 * // GET /misconduct/stats?from=2026-01-01&to=2026-12-31
 */
import { Hono } from 'hono';
import { exportOrg, getStaff } from '../../org/service.ts';
import type { AppEnv } from '../../platform/http.ts';
import { Empty, Grid } from '../../web/components.tsx';
import { pageGuard } from '../../web/guard.tsx';
import { registerPage } from '../../web/registry.ts';
import { renderPage, type View } from '../../web/render.tsx';
import { effectsOverview, isBarredFromMerit } from '../effects.ts';
import { ctxOf } from '../routes.ts';
import { misconductStats } from '../stats.ts';
import { decisionQueue, ownMatters } from '../views.ts';
import { allMattersGuard, faultName, levelLabel, matterColumns, textFor } from './common.tsx';
import { type M, pageText } from './strings.ts';

export const queuePage = registerPage({
  path: '/misconduct/queue',
  navKey: 'nav.decisions',
  descKey: 'nav.desc.decisions',
  section: 'leadership',
  can: ['decide', 'Misconduct'],
  order: 20,
});

export const minePage = registerPage({
  path: '/misconduct/mine',
  navKey: 'nav.myRecord',
  descKey: 'nav.desc.myRecord',
  section: 'work',
  can: ['read', 'Misconduct'],
  order: 70,
});

export const effectsPage = registerPage({
  path: '/misconduct/effects',
  navKey: 'nav.misconductEffects',
  descKey: 'nav.desc.misconductEffects',
  section: 'people',
  can: ['read', 'MisconductEffect'],
  order: 60,
});

export const recordPages = new Hono<AppEnv>();

recordPages.get(queuePage.path, allMattersGuard('decide'), async (c) => {
  const ctx = ctxOf(c);
  const rows = await decisionQueue(c.get('deps').db, c.get('principal'), ctx.today, ctx.policy);
  return renderPage(c, {
    title: 'nav.decisions',
    body: (v) => {
      const m = pageText(v);
      if (!rows.length) return <Empty v={v} text={m('queue.none')} />;
      const col = matterColumns<(typeof rows)[number]>(m, ctx.policy, v);
      return (
        <Grid
          rows={rows}
          testId="queue"
          rowAttrs={(r) => ({ 'data-id': r.id })}
          columns={[
            col.id,
            col.state,
            col.light,
            col.fault,
            {
              head: m('detail.persons'),
              cell: (r) =>
                r.persons.map((p) => `${p.staff} ${levelLabel(m, ctx.policy, v, p.proposed)}`).join('；'),
            },
            { head: m('queue.proposedBy'), cell: (r) => r.proposedBy ?? '—' },
            {
              head: m('queue.mayDecide'),
              cell: (r) => (r.mayDecide ? <a href={`/misconduct/${r.id}`}>{m('queue.open')}</a> : '—'),
            },
          ]}
        />
      );
    },
  });
});

recordPages.get(minePage.path, pageGuard(minePage), async (c) => {
  const p = c.get('principal');
  const ctx = ctxOf(c);
  const { db } = c.get('deps');
  const year = Number(ctx.today.slice(0, 4));
  const rows = p.staffNo ? await ownMatters(db, p.staffNo, ctx.policy, ctx.today) : [];
  const barred = p.staffNo ? await isBarredFromMerit(db, p.staffNo, year) : false;
  return renderPage(c, {
    title: 'nav.myRecord',
    body: (v) => {
      const m = pageText(v);
      const col = matterColumns<(typeof rows)[number]>(m, ctx.policy, v);
      return (
        <>
          <p class="lead">{m('mine.intro')}</p>
          <p class={barred ? 'notice notice-warn' : 'notice notice-ok'} data-testid="merit">
            {m(barred ? 'mine.barred' : 'mine.notBarred', { year })}
          </p>
          {rows.length === 0 ? (
            <Empty v={v} text={m('mine.none')} />
          ) : (
            <Grid
              rows={rows}
              testId="mine"
              rowAttrs={(r) => ({ 'data-id': r.id })}
              columns={[
                col.id,
                col.fault,
                { head: m('detail.final'), cell: (r) => levelLabel(m, ctx.policy, v, r.final) },
                { head: m('detail.decidedBy'), cell: (r) => (r.decidedOn ? v.date(r.decidedOn) : '—') },
                { head: m('detail.document'), cell: (r) => r.documentNumber ?? '—' },
                {
                  head: m('list.state'),
                  cell: (r) => (
                    <>
                      {m(`states.${r.state}`)}
                      {r.mayAppeal && r.appealUntil ? (
                        <p class="hint">{m('mine.appealOpen', { date: v.date(r.appealUntil) })}</p>
                      ) : null}
                    </>
                  ),
                },
              ]}
            />
          )}
        </>
      );
    },
  });
});

recordPages.get(effectsPage.path, pageGuard(effectsPage), async (c) => {
  const { db } = c.get('deps');
  const staff = (c.req.query('staff') ?? '').trim() || undefined;
  const yearQ = Number(c.req.query('year'));
  const year = Number.isInteger(yearQ) && yearQ > 1999 ? yearQ : undefined;
  const rows = await effectsOverview(db, { staff, year });
  const names = new Map<string, string>();
  for (const r of rows)
    if (!names.has(r.staff)) names.set(r.staff, (await getStaff(db, r.staff))?.name ?? '');
  const policy = ctxOf(c).policy;
  return renderPage(c, {
    title: 'nav.misconductEffects',
    body: (v) => {
      const m = pageText(v);
      return (
        <>
          <p class="lead">{m('effects.intro')}</p>
          <form method="get" action={effectsPage.path} class="filters">
            <div class="field">
              <label for="f-staff">{m('actions.staff')}</label>
              <input id="f-staff" name="staff" value={staff ?? ''} />
            </div>
            <div class="field">
              <label for="f-year">{m('effects.year')}</label>
              <input id="f-year" name="year" type="number" value={year ? String(year) : ''} />
            </div>
            <button type="submit" class="btn">
              {m('list.filter')}
            </button>
          </form>
          {rows.length === 0 ? (
            <Empty v={v} text={m('effects.none')} />
          ) : (
            <Grid
              rows={rows}
              testId="effects"
              rowAttrs={(r) => ({
                'data-staff': r.staff,
                'data-kind': r.kind,
                'data-active': String(r.active),
              })}
              columns={[
                { head: m('list.staff'), cell: (r) => `${r.staff} ${names.get(r.staff) ?? ''}` },
                { head: m('effects.kind'), cell: (r) => m(`effects.kinds.${r.kind}`) },
                { head: m('detail.final'), cell: (r) => levelLabel(m, policy, v, r.finalLevel) },
                { head: m('effects.year'), cell: (r) => r.year ?? '—' },
                { head: m('effects.from'), cell: (r) => v.date(r.from) },
                { head: m('effects.ended'), cell: (r) => (r.endedOn ? v.date(r.endedOn) : '—') },
                { head: m('effects.active'), cell: (r) => v.t(r.active ? 'common.yes' : 'common.no') },
                { head: m('detail.document'), cell: (r) => r.documentNumber ?? '—' },
              ]}
            />
          )}
        </>
      );
    },
  });
});

function CountTable({
  v,
  m,
  title,
  counts,
  label,
}: {
  v: View;
  m: M;
  title: string;
  counts: Record<string, number>;
  label: (k: string) => string;
}) {
  const keys = Object.keys(counts).sort();
  return (
    <section class="panel" data-testid={title}>
      <h2>{m(`stats.${title}`)}</h2>
      {keys.length === 0 ? (
        <Empty v={v} />
      ) : (
        <table class="grid compact">
          <tbody>
            {keys.map((k) => (
              <tr>
                <td>{label(k)}</td>
                <td class="num">{counts[k]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

recordPages.get('/misconduct/stats', allMattersGuard('read'), async (c) => {
  const date = (k: string) => (/^\d{4}-\d{2}-\d{2}$/.test(c.req.query(k) ?? '') ? c.req.query(k) : undefined);
  const range = { from: date('from'), to: date('to') };
  const { db } = c.get('deps');
  const s = await misconductStats(db, range);
  const policy = ctxOf(c).policy;
  const depts = new Map<string, string>();
  for (const d of (await exportOrg(db)).departments ?? []) depts.set(d.code, d.name);
  return renderPage(c, {
    title: textFor(c)('stats.title'),
    titleText: true,
    body: (v) => {
      const m = pageText(v);
      const level = (k: string) => levelLabel(m, policy, v, k === 'exempt' ? 'exempt' : Number(k));
      return (
        <>
          <form method="get" action="/misconduct/stats" class="filters">
            <div class="field">
              <label for="f-from">{m('stats.from')}</label>
              <input id="f-from" name="from" type="date" value={range.from ?? ''} />
            </div>
            <div class="field">
              <label for="f-to">{m('stats.to')}</label>
              <input id="f-to" name="to" type="date" value={range.to ?? ''} />
            </div>
            <button type="submit" class="btn">
              {m('list.filter')}
            </button>
          </form>
          <h2>{`${m('stats.matters')}：${s.matters.total}`}</h2>
          <div class="cards">
            <CountTable
              v={v}
              m={m}
              title="bySource"
              counts={s.matters.bySource}
              label={(k) => m(`sources.${k}`)}
            />
            <CountTable v={v} m={m} title="byMonth" counts={s.matters.byMonth} label={(k) => k} />
          </div>
          <h2>{`${m('stats.decisions')}：${s.decisions.total}`}</h2>
          <div class="cards">
            <CountTable v={v} m={m} title="byLevel" counts={s.decisions.byLevel} label={level} />
            <CountTable
              v={v}
              m={m}
              title="byFaultType"
              counts={s.decisions.byFaultType}
              label={(k) => faultName(policy, k, v)}
            />
            <CountTable
              v={v}
              m={m}
              title="byDepartment"
              counts={s.decisions.byDepartment}
              label={(k) => depts.get(k) ?? k}
            />
          </div>
        </>
      );
    },
  });
});
