/**
 * The audit log for inspectors, leaders and admins: entries newest first, paged by id (fast at
 * any depth), filtered by actor, action or entity; and a button that recomputes the hash chain
 * (verifyAuditChain) and names the first entry that does not match.
 *
 * @example
 * // GET  /audit?actor=user:admin&before=1200   older entries by admin
 * // POST /audit/verify  (_csrf)                 "chain intact, 1234 entries" or the first bad entry
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { verifyAuditChain } from '../platform/audit.ts';
import { listAudit } from '../platform/audit-query.ts';
import type { AppEnv } from '../platform/http.ts';
import { Csrf, Empty, Grid } from './components.tsx';
import { pageGuard } from './guard.tsx';
import { labelOr } from './i18n.ts';
import { registerPage } from './registry.ts';
import { renderPage, type View } from './render.tsx';

export const auditPage = registerPage({
  path: '/audit',
  navKey: 'nav.audit',
  descKey: 'nav.desc.audit',
  section: 'supervision',
  can: ['read', 'AuditLog'],
  order: 90,
});

export const auditPages = new Hono<AppEnv>();

const AUDIT_PAGE = 50;

type VerifyResult = Awaited<ReturnType<typeof verifyAuditChain>>;

function VerifyNotice({ v, result }: { v: View; result: VerifyResult }) {
  if (result.ok) {
    return (
      <p class="notice notice-ok" role="status">
        {v.t('audit.verify.ok', { entries: result.entries })}
      </p>
    );
  }
  return (
    <p class="notice notice-error" role="alert">
      {v.t('audit.verify.bad', {
        entries: result.entries,
        id: result.firstBad?.id ?? '?',
        reason: result.firstBad?.reason ?? '',
      })}
    </p>
  );
}

async function auditList(c: Context<AppEnv>, verified?: VerifyResult) {
  const p = c.get('principal');
  const text = (k: string) => (c.req.query(k) ?? '').trim().slice(0, 100) || undefined;
  const before = Number(c.req.query('before'));
  const q = {
    actor: text('actor'),
    action: text('action'),
    entity: text('entity'),
    before: Number.isInteger(before) && before > 0 ? before : undefined,
  };
  const { rows, nextBefore } = await listAudit(c.get('deps').db, { ...q, limit: AUDIT_PAGE });
  const canVerify = p.ability.can('verify', 'AuditLog');
  return renderPage(c, {
    title: 'audit.title',
    actions: (v) =>
      canVerify ? (
        <form method="post" action="/audit/verify" class="inline">
          <Csrf v={v} />
          <button type="submit" class="btn btn-primary">
            {v.t('audit.verify.button')}
          </button>
        </form>
      ) : null,
    body: (v) => (
      <>
        {verified ? <VerifyNotice v={v} result={verified} /> : null}
        <p class="lead">{v.t('audit.lead')}</p>
        <form method="get" action="/audit" class="filters">
          {(['actor', 'action', 'entity'] as const).map((k) => (
            <div class="field">
              <label for={`f-${k}`}>{v.t(`audit.${k}`)}</label>
              <input
                id={`f-${k}`}
                name={k}
                type="search"
                value={q[k] ?? ''}
                placeholder={v.t(`audit.${k}Hint`)}
              />
            </div>
          ))}
          <div class="filter-actions">
            <button type="submit" class="btn btn-primary">
              {v.t('common.search')}
            </button>
            <a class="btn btn-ghost" href="/audit">
              {v.t('common.reset')}
            </a>
          </div>
        </form>
        {rows.length === 0 ? (
          <Empty v={v} text={v.t('audit.none')} />
        ) : (
          <Grid
            rows={rows}
            columns={[
              { head: v.t('audit.id'), num: true, cell: (e) => e.id },
              { head: v.t('audit.at'), class: 'nowrap', cell: (e) => v.dateTime(e.at) },
              { head: v.t('audit.actor'), class: 'code', cell: (e) => e.actor },
              {
                head: v.t('audit.action'),
                cell: (e) => (
                  <>
                    {labelOr(v.locale, `audit.actions.${e.action.replaceAll('.', '_')}`, e.action)}{' '}
                    <span class="code">{e.action}</span>
                  </>
                ),
              },
              {
                head: v.t('audit.entity'),
                cell: (e) => (
                  <>
                    {labelOr(v.locale, `audit.entities.${e.entity}`, e.entity)}{' '}
                    <span class="code">{e.entityId}</span>
                  </>
                ),
              },
              // The first 12 characters tell entries apart; the title carries the whole hash.
              {
                head: v.t('audit.hash'),
                class: 'code hash',
                attrs: (e) => ({ title: e.hash }),
                cell: (e) => `${e.hash.slice(0, 12)}…`,
              },
            ]}
          />
        )}
        <nav class="pager" aria-label={v.t('pager.label')}>
          <span class="pager-pages">
            {q.before ? <a href={v.withQuery({ before: null })}>{v.t('audit.newest')}</a> : null}
            {nextBefore ? (
              <a href={v.withQuery({ before: nextBefore })} rel="next">
                {v.t('audit.older')}
              </a>
            ) : (
              <span class="disabled">{v.t('audit.older')}</span>
            )}
          </span>
        </nav>
      </>
    ),
  });
}

auditPages.get(auditPage.path, pageGuard(auditPage), (c) => auditList(c));

auditPages.post('/audit/verify', pageGuard(['verify', 'AuditLog']), async (c) => {
  const result = await verifyAuditChain(c.get('deps').db);
  return auditList(c, result);
});
