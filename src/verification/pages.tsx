/**
 * The inspector's workbench (核查工作台): start a run over a period, watch its progress, read the
 * findings by check and by clerk, drill down to a case's timeline and results, issue a ruling
 * (核查意见书) and refer a failure to misconduct. Leaders read; inspectors act (policies/roles.yaml:
 * Verification, Ruling).
 *
 * Referring a failure registers a matter with the misconduct tracker (`referFailure`, source
 * `verification`, sourceRef `verification:CASE:CHECK`, idempotent) and records the referral here;
 * this page is the user interface, which sits after both modules.
 *
 * @example
 * // GET  /verification                         runs, and the form to start one
 * // POST /verification/runs                    from=2026-03-01&to=2026-03-31 -> 303 /verification/runs/7
 * // GET  /verification/runs/7?check=timely     findings of a run
 * // GET  /verification/runs/7/cases/QZJS-2026-000123
 */
import { Hono } from 'hono';
import { caseEventsOf, getCaseRecord } from '../cases/index.ts';
import { referFailure } from '../misconduct/index.ts';
import { listStaff } from '../org/service.ts';
import { AppError } from '../platform/errors.ts';
import { type AppEnv, actorOf, assertCan } from '../platform/http.ts';
import { addDays, localDate } from '../platform/time.ts';
import { Csrf, Empty, Grid } from '../web/components.tsx';
import { notFoundPage, pageErrorHandler, pageGuard } from '../web/guard.tsx';
import { registerPage } from '../web/registry.ts';
import { localeOf, renderPage, type View } from '../web/render.tsx';
import {
  ByCheck,
  ByClerk,
  checkName,
  FindingsTable,
  Progress,
  ResultBadge,
  RunsTable,
  Section,
  StatusBadge,
  scopeText,
  uiText,
} from './pages-view.tsx';
import { CHECKS, type CheckName, isCheckName, type VerificationPolicy } from './policy.ts';
import { caseResults, failuresByClerk, getRun, listFindings, listRuns } from './query.ts';
import { pendingReferrals, recordReferral, referralRef, referralsOf } from './referrals.ts';
import { issueRulings, listRulings } from './ruling.ts';
import { startRun } from './run.ts';
import type { ResultName } from './wording.ts';

export const workbenchPage = registerPage({
  path: '/verification',
  navKey: 'nav.verification',
  section: 'supervision',
  can: ['read', 'Verification'],
  order: 20,
});

export const verificationPages = new Hono<AppEnv>();
verificationPages.onError(pageErrorHandler);

const PAGE = 50;
const RESULTS: ResultName[] = ['fail', 'pass', 'not_applicable'];
const namesOf = async (c: { get: (k: 'deps') => AppEnv['Variables']['deps'] }) =>
  new Map((await listStaff(c.get('deps').db)).map((s) => [s.no, s.name]));
const runIdOf = (s: string) => {
  const id = Number(s);
  if (!Number.isInteger(id) || id < 1) throw new AppError('NOT_FOUND', `no run ${s}`);
  return id;
};
const can = (v: View, action: 'create' | 'read', subject: 'Verification' | 'Ruling' | 'Misconduct') =>
  v.principal.ability.can(action, subject);

/** The first and last day of the month before `today`. */
function lastMonth(today: string): [string, string] {
  const first = `${today.slice(0, 7)}-01`;
  const end = addDays(first, -1);
  return [`${end.slice(0, 7)}-01`, end];
}

verificationPages.get(workbenchPage.path, pageGuard(workbenchPage), async (c) => {
  const { db, config } = c.get('deps');
  const runs = await listRuns(db, { limit: 50 });
  const pending = await pendingReferrals(db, { limit: 1 });
  const [from, to] = lastMonth(localDate(new Date(), config.timeZone));
  return renderPage(c, {
    title: uiText({ locale: localeOf(c) })('title'),
    titleText: true,
    body: (v) => {
      const u = uiText(v);
      return (
        <>
          <p class="lead">{u('lead')}</p>
          {can(v, 'create', 'Verification') ? (
            <Section title={u('start.heading')}>
              <form method="post" action="/verification/runs" class="filters" data-testid="start-run">
                <Csrf v={v} />
                <div class="field">
                  <label for="f-from">{u('start.from')}</label>
                  <input id="f-from" name="from" type="date" value={from} />
                </div>
                <div class="field">
                  <label for="f-to">{u('start.to')}</label>
                  <input id="f-to" name="to" type="date" value={to} />
                </div>
                <div class="field">
                  <label for="f-cases">{u('start.cases')}</label>
                  <input id="f-cases" name="cases" type="text" />
                </div>
                <div class="filter-actions">
                  <button type="submit" class="btn btn-primary">
                    {u('start.submit')}
                  </button>
                </div>
              </form>
            </Section>
          ) : null}
          {pending.total > 0 ? (
            <p class="notice notice-warn">
              <a href="/verification/referrals">{u('run.pending', { n: pending.total })}</a>
            </p>
          ) : null}
          <Section title={u('runs.heading')}>
            {runs.length ? <RunsTable v={v} u={u} runs={runs} /> : <Empty v={v} text={u('runs.none')} />}
          </Section>
        </>
      );
    },
  });
});

verificationPages.post('/verification/runs', pageGuard(['create', 'Verification']), async (c) => {
  const { db, config } = c.get('deps');
  const form = await c.req.parseBody();
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).trim() : '');
  const cases = str('cases')
    .split(/[\s,，]+/)
    .filter(Boolean);
  const { run } = await startRun(db, {
    from: cases.length ? undefined : str('from') || undefined,
    to: cases.length ? undefined : str('to') || undefined,
    caseNos: cases.length ? cases : undefined,
    actor: actorOf(c.get('principal')),
    timeZone: config.timeZone,
  });
  return c.redirect(`/verification/runs/${run.id}`, 303);
});

verificationPages.get('/verification/runs/:id', pageGuard(workbenchPage), async (c) => {
  const { db } = c.get('deps');
  const id = runIdOf(c.req.param('id'));
  const run = await getRun(db, id);
  if (!run) return notFoundPage(c);
  const policy = run.policy as unknown as VerificationPolicy;
  const q = (k: string) => c.req.query(k);
  const check = isCheckName(q('check')) ? (q('check') as CheckName) : undefined;
  const staff = q('staff')?.trim().slice(0, 64) || undefined;
  const result = (RESULTS as string[]).includes(q('result') ?? '') ? (q('result') as ResultName) : 'fail';
  const cursor = q('cursor')?.slice(0, 500) || undefined;
  const finished = run.status.status === 'done';
  const locale = localeOf(c);
  const [page, byClerk, names] = await Promise.all([
    finished ? listFindings(db, id, { check, staff, result }, { limit: PAGE, cursor, locale }) : null,
    finished ? failuresByClerk(db, id) : [],
    namesOf(c),
  ]);
  return renderPage(c, {
    title: uiText({ locale })('run.title', { id }),
    titleText: true,
    actions: (v) => {
      const u = uiText(v);
      return finished && run.status.failures > 0 && can(v, 'create', 'Ruling') ? (
        <form method="post" action={`/verification/runs/${id}/rulings`} class="inline">
          <Csrf v={v} />
          <button type="submit" class="btn">
            {u('run.issueAll')}
          </button>
        </form>
      ) : null;
    },
    body: (v) => {
      const u = uiText(v);
      const issued = v.query.get('issued');
      return (
        <>
          {!finished && run.status.status !== 'failed' ? <meta http-equiv="refresh" content="2" /> : null}
          {issued ? <p class="notice notice-ok">{u('run.issued', { n: issued })}</p> : null}
          <dl class="facts">
            <div>
              <dt>{u('runs.scope')}</dt>
              <dd>{scopeText(u, run)}</dd>
            </div>
            <div>
              <dt>{u('runs.status')}</dt>
              <dd data-testid="run-status">
                <StatusBadge u={u} run={run} /> <Progress u={u} run={run} />{' '}
                {!finished ? <a href={v.here}>{u('refresh')}</a> : null}
              </dd>
            </div>
            <div>
              <dt>{u('run.asOf')}</dt>
              <dd>{v.dateTime(run.asOf)}</dd>
            </div>
            <div>
              <dt>{u('runs.cases')}</dt>
              <dd data-testid="run-cases">{run.status.cases}</dd>
            </div>
            <div>
              <dt>{u('runs.failures')}</dt>
              <dd data-testid="run-failures">{run.status.failures}</dd>
            </div>
            <div>
              <dt>{u('run.policy')}</dt>
              <dd class="code">{run.policyVersion}</dd>
            </div>
          </dl>
          {run.status.error ? (
            <p class="notice notice-error">{u('run.error', { error: run.status.error })}</p>
          ) : null}
          {finished ? (
            <>
              <Section title={u('run.byCheck')}>
                <ByCheck v={v} u={u} run={run} policy={policy} />
              </Section>
              <Section title={u('run.byClerk')}>
                {byClerk.length ? (
                  <ByClerk v={v} u={u} runId={id} policy={policy} rows={byClerk} names={names} />
                ) : (
                  <Empty v={v} text={u('none')} />
                )}
              </Section>
              <Section title={u('run.findings')} id="findings">
                <FindingFilters v={v} u={u} policy={policy} check={check} result={result} staff={staff} />
                {page?.rows.length ? (
                  <>
                    <p class="muted">
                      {v.t('pager.summary', { from: 1, to: page.rows.length, total: page.total })}
                    </p>
                    <FindingsTable v={v} u={u} runId={id} policy={policy} rows={page.rows} names={names} />
                    {page.nextCursor ? (
                      <nav class="pager" aria-label={v.t('pager.label')}>
                        <a href={v.withQuery({ cursor: page.nextCursor })} rel="next">
                          {v.t('pager.next')}
                        </a>
                      </nav>
                    ) : null}
                  </>
                ) : (
                  <Empty v={v} text={u('none')} />
                )}
              </Section>
            </>
          ) : null}
        </>
      );
    },
  });
});

function FindingFilters(props: {
  v: View;
  u: ReturnType<typeof uiText>;
  policy: VerificationPolicy;
  check?: string;
  result: string;
  staff?: string;
}) {
  const { v, u, policy, check, result, staff } = props;
  return (
    <form method="get" class="filters" action={`${v.path}#findings`}>
      <div class="field">
        <label for="f-check">{u('check')}</label>
        <select id="f-check" name="check" data-autosubmit="">
          <option value="">{u('filter.all')}</option>
          {CHECKS.map((c) => (
            <option value={c} selected={c === check}>
              {checkName(v, policy, c)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-result">{u('result')}</label>
        <select id="f-result" name="result" data-autosubmit="">
          {RESULTS.map((r) => (
            <option value={r} selected={r === result}>
              {u(r === 'fail' ? 'fail' : r === 'pass' ? 'pass' : 'na')}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-staff">{u('staff')}</label>
        <input id="f-staff" name="staff" type="search" value={staff ?? ''} />
      </div>
      <div class="filter-actions">
        <button type="submit" class="btn btn-primary">
          {u('filter.submit')}
        </button>
      </div>
    </form>
  );
}

verificationPages.post('/verification/runs/:id/rulings', pageGuard(['create', 'Ruling']), async (c) => {
  const { db, config } = c.get('deps');
  const id = runIdOf(c.req.param('id'));
  const p = c.get('principal');
  const issued = await issueRulings(db, {
    runId: id,
    failing: true,
    limit: 500,
    locale: localeOf(c),
    inspector: p.staffNo ?? p.name,
    actor: actorOf(p),
    publicUrl: config.publicUrl,
    timeZone: config.timeZone,
  });
  return c.redirect(`/verification/runs/${id}?issued=${issued.length}`, 303);
});

verificationPages.get('/verification/runs/:id/cases/:caseNo', pageGuard(workbenchPage), async (c) => {
  const { db } = c.get('deps');
  const id = runIdOf(c.req.param('id'));
  const caseNo = c.req.param('caseNo');
  const run = await getRun(db, id);
  if (!run) return notFoundPage(c);
  const locale = localeOf(c);
  const [results, record, events, names, rulings, referrals] = await Promise.all([
    caseResults(db, id, caseNo, locale),
    getCaseRecord(db, caseNo),
    caseEventsOf(db, caseNo),
    namesOf(c),
    listRulings(db, { runId: id, caseNo }),
    referralsOf(db, id),
  ]);
  if (!record) return notFoundPage(c, caseNo);
  const policy = run.policy as unknown as VerificationPolicy;
  const referred = new Map(referrals.map((r) => [r.ref, r]));
  const who = (no: string) => `${names.get(no) ?? ''} ${no}`.trim();
  return renderPage(c, {
    title: uiText({ locale })('case.title', { caseNo }),
    titleText: true,
    body: (v) => {
      const u = uiText(v);
      const ruling = v.query.get('ruling');
      const matter = v.query.get('referred');
      return (
        <>
          <p>
            <a href={`/verification/runs/${id}`}>{u('case.back', { id })}</a>
          </p>
          {ruling ? <p class="notice notice-ok">{u('ruling.issuedNow', { number: ruling })}</p> : null}
          {matter ? <p class="notice notice-ok">{u('refer.referredNow', { matter })}</p> : null}
          <Section title={u('case.facts')}>
            <dl class="facts">
              <div>
                <dt>{u('case.item')}</dt>
                <dd class="code">{record.case.itemCode}</dd>
              </div>
              <div>
                <dt>{u('case.route')}</dt>
                <dd>{record.case.route}</dd>
              </div>
              <div>
                <dt>{u('case.received')}</dt>
                <dd>{v.dateTime(record.case.receivedAt)}</dd>
              </div>
            </dl>
          </Section>
          <Section title={u('case.timeline')}>
            <table class="grid compact" data-testid="timeline">
              <thead>
                <tr>
                  <th scope="col">{u('case.seq')}</th>
                  <th scope="col">{u('case.time')}</th>
                  <th scope="col">{u('case.action')}</th>
                  <th scope="col">{u('case.actor')}</th>
                  <th scope="col">{u('case.authority')}</th>
                </tr>
              </thead>
              <tbody>
                {events
                  .filter((e) => e.importId <= run.ledgerImportId)
                  .map((e) => (
                    <tr>
                      <td class="num">{e.seq}</td>
                      <td class="nowrap">{v.dateTime(e.at)}</td>
                      <td>{e.action}</td>
                      <td>{who(e.actor)}</td>
                      <td>
                        {e.allowed === false ? (
                          <span class="badge badge-warn" title={e.reasons.join('; ')}>
                            {u('case.denied')}
                          </span>
                        ) : (
                          <span class="muted">{u('case.allowed')}</span>
                        )}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </Section>
          <Section title={u('case.results')}>
            {results ? (
              <Grid
                rows={results}
                testId="case-results"
                rowAttrs={(r) => ({ 'data-check': r.check })}
                columns={[
                  { head: u('check'), cell: (r) => checkName(v, policy, r.check) },
                  { head: u('result'), cell: (r) => <ResultBadge u={u} result={r.result} /> },
                  { head: u('detail'), cell: (r) => r.detail },
                  { head: u('staff'), cell: (r) => r.staff.map(who).join(', ') },
                  {
                    head: u('case.basis'),
                    class: 'muted',
                    cell: (r) => policy.checks[r.check]?.basis[v.locale],
                  },
                  {
                    head: null,
                    cell: (r) => {
                      const done = referred.get(referralRef(caseNo, r.check));
                      return r.result !== 'fail' ? null : done ? (
                        <span class="muted">{u('refer.done', { matter: done.matterId ?? '-' })}</span>
                      ) : can(v, 'create', 'Misconduct') && can(v, 'create', 'Verification') ? (
                        <form
                          method="post"
                          action={`/verification/runs/${id}/cases/${encodeURIComponent(caseNo)}/refer`}
                          class="inline"
                        >
                          <Csrf v={v} />
                          <input type="hidden" name="check" value={r.check} />
                          <button type="submit" class="btn btn-small">
                            {u('refer.button')}
                          </button>
                        </form>
                      ) : null;
                    },
                  },
                ]}
              />
            ) : (
              <p class="notice notice-warn">{u('case.notInRun')}</p>
            )}
          </Section>
          <Section title={u('ruling.heading')}>
            {rulings.length ? (
              <ul data-testid="rulings">
                {rulings.map((r) => (
                  <li>
                    <strong data-testid="ruling-number">{r.number}</strong> ({r.locale}, {r.issuedOn}){' '}
                    <a
                      href={`/api/verification/rulings/${encodeURIComponent(r.number)}/pdf`}
                      data-testid="ruling-pdf"
                    >
                      {u('ruling.pdf')}
                    </a>{' '}
                    <a href={`/verify/${encodeURIComponent(r.number)}`}>{u('ruling.verify')}</a>
                  </li>
                ))}
              </ul>
            ) : (
              <Empty v={v} text={u('ruling.none')} />
            )}
            {results && can(v, 'create', 'Ruling') ? (
              <form
                method="post"
                action={`/verification/runs/${id}/cases/${encodeURIComponent(caseNo)}/ruling`}
                class="inline"
                data-testid="issue-ruling"
              >
                <Csrf v={v} />
                <label for="f-locale">{u('ruling.language')}</label>{' '}
                <select id="f-locale" name="locale">
                  <option value="zh-CN">{u('ruling.langZh')}</option>
                  <option value="en">{u('ruling.langEn')}</option>
                </select>{' '}
                <button type="submit" class="btn btn-primary">
                  {u('ruling.issue')}
                </button>
              </form>
            ) : null}
          </Section>
        </>
      );
    },
  });
});

verificationPages.post(
  '/verification/runs/:id/cases/:caseNo/ruling',
  pageGuard(['create', 'Ruling']),
  async (c) => {
    const { db, config } = c.get('deps');
    const id = runIdOf(c.req.param('id'));
    const caseNo = c.req.param('caseNo');
    const form = await c.req.parseBody();
    const locale = form.locale === 'en' ? 'en' : 'zh-CN';
    const p = c.get('principal');
    const [issued] = await issueRulings(db, {
      runId: id,
      caseNos: [caseNo],
      locale,
      inspector: p.staffNo ?? p.name,
      actor: actorOf(p),
      publicUrl: config.publicUrl,
      timeZone: config.timeZone,
    });
    return c.redirect(
      `/verification/runs/${id}/cases/${encodeURIComponent(caseNo)}?ruling=${encodeURIComponent(issued.number)}`,
      303,
    );
  },
);

verificationPages.post(
  '/verification/runs/:id/cases/:caseNo/refer',
  pageGuard(['create', 'Verification']),
  async (c) => {
    assertCan(c, 'create', 'Misconduct');
    const { db } = c.get('deps');
    const id = runIdOf(c.req.param('id'));
    const caseNo = c.req.param('caseNo');
    const form = await c.req.parseBody();
    const check = isCheckName(form.check) ? form.check : null;
    if (!check) throw AppError.validation([{ path: 'check', message: 'a check of the run' }]);
    const page = await listFindings(db, id, { caseNo, check, result: 'fail' }, { limit: 1 });
    const f = page.rows[0];
    if (!f) throw new AppError('NOT_FOUND', `run ${id} found no failure of ${check} in ${caseNo}`);
    const actor = actorOf(c.get('principal'));
    const matter = await referFailure(
      db,
      {
        runId: id,
        caseNo,
        check,
        faultType: f.faultType!,
        staff: f.staff,
        detail: f.detail,
        params: f.params ?? {},
        ref: referralRef(caseNo, check),
      },
      actor,
    );
    await recordReferral(db, { runId: id, caseNo, check, matterId: matter.id }, actor);
    return c.redirect(
      `/verification/runs/${id}/cases/${encodeURIComponent(caseNo)}?referred=${matter.id}`,
      303,
    );
  },
);

verificationPages.get('/verification/referrals', pageGuard(workbenchPage), async (c) => {
  const { db } = c.get('deps');
  const [pending, names] = await Promise.all([pendingReferrals(db, { limit: 500 }), namesOf(c)]);
  return renderPage(c, {
    title: uiText({ locale: localeOf(c) })('refer.heading'),
    titleText: true,
    body: (v) => {
      const u = uiText(v);
      return (
        <>
          <p class="lead">{u('refer.lead')}</p>
          {pending.trackerConnected ? null : <p class="notice notice-warn">{u('refer.tracker')}</p>}
          {pending.items.length ? (
            <Grid
              rows={pending.items}
              testId="pending"
              rowAttrs={(i) => ({ 'data-ref': i.ref })}
              columns={[
                {
                  head: u('caseNo'),
                  class: 'nowrap',
                  cell: (i) => (
                    <a href={`/verification/runs/${i.runId}/cases/${encodeURIComponent(i.caseNo)}`}>
                      <span class="code">{i.caseNo}</span>
                    </a>
                  ),
                },
                { head: u('check'), cell: (i) => i.check },
                { head: u('detail'), cell: (i) => (v.locale === 'en' ? i.detailEn : i.detail) },
                {
                  head: u('staff'),
                  cell: (i) => i.staff.map((s) => `${names.get(s) ?? ''} ${s}`.trim()).join(', '),
                },
              ]}
            />
          ) : (
            <Empty v={v} text={u('refer.none')} />
          )}
        </>
      );
    },
  });
});
