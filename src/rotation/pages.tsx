/**
 * The rotation pages (轮岗), for HR and leaders. HR starts the planner (a background run: the
 * progress page refreshes itself until the draft is stored), reads each move with its reasons,
 * the coverage of every post before and after, the score and the solver's report; a leader
 * approves and applies; both see tenure warnings and the competency matrix. Works without
 * JavaScript (forms and a refresh header); wording in `templates/rotation/<locale>.yaml`.
 *
 * @example
 * // GET  /rotation                  plans, planner form, tenure warnings, competency matrix
 * // POST /rotation/runs             (_csrf, date, rounds) -> 303 /rotation/runs/ID
 * // GET  /rotation/runs/ID          progress, then 303 to the draft plan
 * // GET  /rotation/plans/ID         the plan; POST .../approve | apply | archive
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { parse } from 'yaml';
import { listPosts } from '../org/service.ts';
import { templatesDir } from '../paths.ts';
import { AppError } from '../platform/errors.ts';
import { type AppEnv, actorOf } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { Csrf, Empty, Grid } from '../web/components.tsx';
import { forbiddenPage, pageErrorHandler, pageGuard } from '../web/guard.tsx';
import { flatten, type Locale, type Params } from '../web/i18n.ts';
import { registerPage } from '../web/registry.ts';
import { localeOf, renderPage, type View } from '../web/render.tsx';
import { getRun, startRun } from './runs.ts';
import {
  applyPlan,
  approvePlan,
  archivePlan,
  getPlan,
  listPlans,
  type PlanRecord,
  rotationOverview,
} from './service.ts';
import { planText } from './text.ts';
import type { PostCoverage, SlotCoverage } from './types.ts';

export const rotationPage = registerPage({
  path: '/rotation',
  navKey: 'nav.rotation',
  section: 'people',
  can: ['read', 'Rotation'],
  order: 30,
});

// ---- strings ----

const cache = new Map<Locale, { mtimeMs: number; strings: Map<string, string> }>();
const fileOf = (locale: Locale) => join(templatesDir, 'rotation', `${locale}.yaml`);

export function rotationStrings(locale: Locale): Map<string, string> {
  const file = fileOf(locale);
  const mtimeMs = statSync(file).mtimeMs;
  const hit = cache.get(locale);
  if (hit && hit.mtimeMs === mtimeMs) return hit.strings;
  const strings = flatten(parse(readFileSync(file, 'utf8')));
  cache.set(locale, { mtimeMs, strings });
  return strings;
}

type R = (key: string, params?: Params) => string;

/** The rotation strings, falling back to the shell's. */
function textOf(v: View): R {
  const s = rotationStrings(v.locale);
  return (key, params) => {
    const text = s.get(key);
    if (text === undefined) return v.t(key, params);
    return params
      ? text.replace(/\{(\w+)\}/g, (m, n: string) => (n in params ? String(params[n]) : m))
      : text;
  };
}

// ---- helpers ----

const can = (c: Context<AppEnv>, action: 'create' | 'decide' | 'update') =>
  c.get('principal').ability.can(action, 'Rotation');
const canApply = (c: Context<AppEnv>) => can(c, 'decide') || can(c, 'update');
const who = (actor: string | null) => (actor ?? '').replace(/^(user|token):/, '');
const num = (x: number) =>
  Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en') : String(Math.round(x * 100) / 100);

async function postNames(c: Context<AppEnv>) {
  const names = new Map((await listPosts(c.get('deps').db)).map((p) => [p.code, p.name]));
  return (code: string) => names.get(code) ?? code;
}

function StateBadge({ r, state }: { r: R; state: string }) {
  const cls = state === 'draft' ? 'badge badge-warn' : state === 'archived' ? 'badge badge-soft' : 'badge';
  return <span class={cls}>{r(`state.${state}`)}</span>;
}

export const rotationPages = new Hono<AppEnv>();
rotationPages.onError(pageErrorHandler);

// ---- overview ----

rotationPages.get(rotationPage.path, pageGuard(rotationPage), async (c) => {
  const { db, config } = c.get('deps');
  const today = localDate(new Date(), config.timeZone);
  const [plans, overview] = await Promise.all([listPlans(db), rotationOverview(db, today)]);
  const nextJanuary = `${Number(today.slice(0, 4)) + 1}-01-01`;
  const mayPlan = can(c, 'create');
  return renderPage(c, {
    title: 'nav.rotation',
    body: (v) => {
      const r = textOf(v);
      return (
        <>
          <p class="lead">{r('lead')}</p>
          {mayPlan ? (
            <section class="panel" aria-labelledby="plan-heading">
              <h2 id="plan-heading">{r('plan.heading')}</h2>
              <form method="post" action="/rotation/runs" class="filters" id="plan-form">
                <Csrf v={v} />
                <div class="field">
                  <label for="f-date">{r('plan.date')}</label>
                  <input id="f-date" name="date" type="date" value={nextJanuary} required />
                </div>
                <div class="field">
                  <label for="f-rounds">{r('plan.rounds')}</label>
                  <input id="f-rounds" name="rounds" type="number" min="1" max="5" value="1" required />
                </div>
                <div class="filter-actions">
                  <button type="submit" class="btn btn-primary">
                    {r('plan.start')}
                  </button>
                </div>
              </form>
              <p class="hint">{r('plan.hint')}</p>
            </section>
          ) : null}

          <h2>{r('plans.heading')}</h2>
          {plans.length === 0 ? (
            <Empty v={v} text={r('plans.none')} />
          ) : (
            <Grid
              rows={plans}
              id="plans"
              columns={[
                { head: r('plans.number'), cell: (p) => <a href={`/rotation/plans/${p.id}`}>{p.number}</a> },
                { head: r('plans.date'), class: 'nowrap', cell: (p) => v.date(p.planDate) },
                { head: r('plans.state'), cell: (p) => <StateBadge r={r} state={p.state} /> },
                { head: r('plans.moves'), num: true, cell: (p) => p.moves },
                { head: r('plans.unmet'), num: true, cell: (p) => p.unmet },
                { head: r('plans.solver'), cell: (p) => r(`solverStatus.${p.status}`) },
                { head: r('plans.createdBy'), class: 'code', cell: (p) => who(p.createdBy) },
              ]}
            />
          )}

          <h2>{r('warnings.heading')}</h2>
          {overview.warnings.length === 0 ? (
            <Empty v={v} text={r('warnings.none')} />
          ) : (
            <Grid
              rows={overview.warnings}
              id="warnings"
              columns={[
                {
                  head: r('warnings.staff'),
                  cell: (w) => (
                    <>
                      {w.name} <span class="code">{w.staff}</span>
                    </>
                  ),
                },
                {
                  head: r('warnings.post'),
                  cell: (w) => (
                    <>
                      <span class="code">{w.post}</span>{' '}
                      <span class={`badge badge-ab badge-${w.role.toLowerCase()}`}>{w.role}</span>{' '}
                      {w.key ? <span class="badge badge-key">{r('warnings.key')}</span> : null}
                    </>
                  ),
                },
                { head: r('warnings.since'), class: 'nowrap', cell: (w) => v.date(w.since) },
                { head: r('warnings.years'), num: true, cell: (w) => w.years },
                { head: r('warnings.limit'), num: true, cell: (w) => w.limit },
                { head: r('warnings.reachesOn'), class: 'nowrap', cell: (w) => v.date(w.reachesOn) },
              ]}
            />
          )}

          <h2>{r('matrix.heading')}</h2>
          <p class="hint">{r('matrix.lead')}</p>
          <div class="table-wrap">
            <table class="grid" id="matrix">
              <thead>
                <tr>
                  <th scope="col">{r('matrix.staff')}</th>
                  {overview.businesses.map((b) => (
                    <th scope="col" class="code">
                      {b}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    {r('matrix.count')}
                  </th>
                  <th scope="col">{r('matrix.posts')}</th>
                </tr>
              </thead>
              <tbody>
                {overview.matrix.map((s) => (
                  <tr>
                    <td class="nowrap">
                      {s.name} <span class="code">{s.staff}</span>
                    </td>
                    {overview.businesses.map((b) => (
                      <td class="num">{s.businesses.includes(b) ? '✓' : ''}</td>
                    ))}
                    <td class="num">{s.businesses.length}</td>
                    <td>
                      {s.posts.map((p) => (
                        <span class="tag">
                          {p.post}/{p.role} · {p.years}
                        </span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      );
    },
  });
});

// ---- planner runs ----

rotationPages.post('/rotation/runs', pageGuard(rotationPage), async (c) => {
  if (!can(c, 'create')) return forbiddenPage(c);
  const body = await c.req.parseBody();
  const date = String(body.date ?? '');
  const rounds = Number(body.rounds ?? 1);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isInteger(rounds) || rounds < 1 || rounds > 5) {
    throw AppError.validation([
      ...(!/^\d{4}-\d{2}-\d{2}$/.test(date) ? [{ path: 'date', message: 'must be a date YYYY-MM-DD' }] : []),
      ...(!Number.isInteger(rounds) || rounds < 1 || rounds > 5
        ? [{ path: 'rounds', message: 'a whole number from 1 to 5' }]
        : []),
    ]);
  }
  const run = startRun(c.get('deps').db, { date, rounds }, actorOf(c.get('principal')));
  return c.redirect(`/rotation/runs/${run.id}`, 303);
});

rotationPages.get('/rotation/runs/:id', pageGuard(rotationPage), async (c) => {
  if (!can(c, 'create')) return forbiddenPage(c);
  const run = getRun(c.req.param('id'), actorOf(c.get('principal')));
  if (run.state === 'done' && run.planId) return c.redirect(`/rotation/plans/${run.planId}`, 303);
  if (run.state === 'running') c.header('Refresh', '1');
  return renderPage(c, {
    title: 'nav.rotation',
    body: (v) => {
      const r = textOf(v);
      if (run.state === 'failed') {
        return (
          <p class="notice notice-error" role="alert">
            {r('run.failed', {
              message: [
                run.error?.message,
                ...(run.error?.errors ?? []).map((e) => `${e.path}: ${e.message}`),
              ].join('; '),
            })}
          </p>
        );
      }
      const p = run.progress;
      return (
        <section class="panel" aria-live="polite" id="run-progress">
          <h2>{r('run.title')}</h2>
          <p>
            {p
              ? r('run.progress', {
                  round: p.round,
                  rounds: p.rounds,
                  group: p.group,
                  groups: p.groups,
                  phase: r(`run.phase.${p.phase}`),
                })
              : r('run.phase.prepare')}
          </p>
          {p?.gap != null ? (
            <p class="muted">{r('run.gap', { gap: `${(p.gap * 100).toFixed(3)}%` })}</p>
          ) : null}
          <p class="hint">{r('run.waiting')}</p>
        </section>
      );
    },
  });
});

// ---- one plan ----

function Slot({ r, s }: { r: R; s: SlotCoverage }) {
  if (!s.holder) return <span class="no">{r('detail.vacant')}</span>;
  return (
    <span>
      {s.holderName} <span class="code">{s.holder}</span>{' '}
      <span class={s.competent ? 'yes' : 'no'}>
        {r(s.competent ? 'detail.competent' : 'detail.notCompetent')}
      </span>
      {s.viaTraining ? <span class="badge badge-soft"> {r('detail.viaTraining')}</span> : null}
    </span>
  );
}

function CoverageTable({ r, before, after }: { r: R; before: PostCoverage[]; after: PostCoverage[] }) {
  return (
    <Grid
      rows={after.map((now, k) => ({ now, was: before[k] }))}
      id="coverage"
      rowAttrs={(c) => ({ 'data-post': c.now.post })}
      columns={[
        {
          head: r('detail.post'),
          cell: (c) => (
            <>
              {c.now.name} <span class="code">{c.now.post}</span>
            </>
          ),
        },
        { head: `A · ${r('detail.before')}`, cell: (c) => <Slot r={r} s={c.was.A} /> },
        { head: `A · ${r('detail.after')}`, class: 'cover-a', cell: (c) => <Slot r={r} s={c.now.A} /> },
        { head: `B · ${r('detail.before')}`, cell: (c) => <Slot r={r} s={c.was.B} /> },
        { head: `B · ${r('detail.after')}`, class: 'cover-b', cell: (c) => <Slot r={r} s={c.now.B} /> },
        { head: r('detail.depth'), num: true, cell: (c) => c.now.competentStaff },
      ]}
    />
  );
}

async function planPage(c: Context<AppEnv>, plan: PlanRecord, notice?: { ok: boolean; text: string }) {
  const postName = await postNames(c);
  const result = plan.result;
  return renderPage(c, {
    title: plan.number,
    titleText: true,
    actions: (v) => {
      const r = textOf(v);
      const button = (action: string, label: string, confirm?: string, primary = false) => (
        <form method="post" action={`/rotation/plans/${plan.id}/${action}`} class="inline">
          <Csrf v={v} />
          <button
            type="submit"
            class={primary ? 'btn btn-primary' : 'btn'}
            data-confirm={confirm}
            id={`btn-${action}`}
          >
            {label}
          </button>
        </form>
      );
      return (
        <>
          {plan.state === 'draft' && can(c, 'decide')
            ? button('approve', r('actions.approve'), r('actions.approveConfirm'), true)
            : null}
          {plan.state === 'approved' && canApply(c)
            ? button('apply', r('actions.apply'), r('actions.applyConfirm'), true)
            : null}
          {plan.state !== 'archived' && canApply(c) ? button('archive', r('actions.archive')) : null}
          <a class="btn btn-ghost" href={`/api/rotation/plans/${plan.id}/csv?locale=${v.locale}`}>
            {r('detail.csv')}
          </a>
          <a class="btn btn-ghost" href={`/api/rotation/plans/${plan.id}/pdf?locale=${v.locale}`}>
            {r('detail.pdf')}
          </a>
        </>
      );
    },
    body: (v) => {
      const r = textOf(v);
      const text = planText(v.locale, postName);
      const s = result.solver;
      const at = (iso: string | null) => (iso ? v.dateTime(new Date(iso)) : '');
      return (
        <>
          {notice ? (
            <p
              class={notice.ok ? 'notice notice-ok' : 'notice notice-error'}
              role={notice.ok ? 'status' : 'alert'}
            >
              {notice.text}
            </p>
          ) : null}
          <section class="panel" id="summary">
            <p>
              {r('detail.state')}: <StateBadge r={r} state={plan.state} />
            </p>
            <p class="muted">{r('detail.createdBy', { who: who(plan.createdBy), at: at(plan.createdAt) })}</p>
            {plan.approvedBy ? (
              <p class="muted">
                {r('detail.approvedBy', { who: who(plan.approvedBy), at: at(plan.approvedAt) })}
              </p>
            ) : null}
            {plan.appliedBy ? (
              <p class="muted">
                {r('detail.appliedBy', { who: who(plan.appliedBy), at: at(plan.appliedAt) })}
              </p>
            ) : null}
            {plan.archivedBy ? (
              <p class="muted">
                {r('detail.archivedBy', { who: who(plan.archivedBy), at: at(plan.archivedAt) })}
              </p>
            ) : null}
            {plan.note ? <p>{r('detail.note', { note: plan.note })}</p> : null}
            <p id="solver">
              {r('detail.solver', {
                method: s.method,
                status: r(`solverStatus.${s.status}`),
                objective: num(s.objective),
                bound: num(s.bound),
                gap: num(s.gap),
                relative: `${(s.relativeGap * 100).toFixed(4)}%`,
                seconds: num(s.seconds),
                groups: s.groups,
                mipGroups: s.mipGroups,
              })}
            </p>
            {plan.rounds > 1 ? <p class="hint">{r('detail.rolling')}</p> : null}
          </section>

          <h2>{r('detail.score')}</h2>
          <table class="grid" id="score">
            <tbody>
              {(
                [
                  'movesBeyondRequired',
                  'requiredMoves',
                  'skillGrowth',
                  'trainingDays',
                  'wishesGranted',
                  'doubleHolders',
                  'idled',
                  'penalties',
                  'total',
                ] as const
              ).map((k) => (
                <tr>
                  <th scope="row">{r(`detail.scoreParts.${k}`)}</th>
                  <td class="num">{num(result.score[k])}</td>
                </tr>
              ))}
            </tbody>
          </table>

          <h2>{r('detail.unmet')}</h2>
          {result.unmet.length === 0 ? (
            <p class="notice notice-ok" id="unmet">
              {r('detail.allKept')}
            </p>
          ) : (
            <ul class="notice notice-warn" id="unmet">
              {result.unmet.map((u) => (
                <li data-rule={u.rule}>{text.unmet(u)}</li>
              ))}
            </ul>
          )}

          {result.rounds.map((round) => (
            <section class="round" data-round={round.index}>
              <h2>{r('detail.round', { round: round.index, date: v.date(round.effectiveDate) })}</h2>
              <h3>{r('detail.moves')}</h3>
              {round.moves.length === 0 ? (
                <Empty v={v} text={r('detail.noMoves')} />
              ) : (
                <table class="grid moves">
                  <thead>
                    <tr>
                      <th scope="col">{r('detail.staff')}</th>
                      <th scope="col">{r('detail.from')}</th>
                      <th scope="col">{r('detail.to')}</th>
                      <th scope="col">{r('detail.reasons')}</th>
                      <th scope="col">{r('detail.training')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {round.moves.map((m) => (
                      <tr data-staff={m.staff}>
                        <td class="nowrap">
                          {m.staffName} <span class="code">{m.staff}</span>
                          {m.required ? <span class="badge badge-warn"> {r('detail.required')}</span> : null}
                        </td>
                        <td>{text.slot(m.from)}</td>
                        <td>{text.slot(m.to)}</td>
                        <td>
                          <ul class="reasons">
                            {m.reasons.map((x) => (
                              <li data-code={x.code}>{text.reason(x)}</li>
                            ))}
                          </ul>
                        </td>
                        <td>
                          {m.training
                            ? text.t.render('trainingText', {
                                businesses: m.training.businesses.join(', '),
                                days: m.training.days,
                                before: m.training.before,
                              })
                            : ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {round.trainings.length ? (
                <>
                  <h3>{r('detail.trainings')}</h3>
                  <table class="grid trainings">
                    <tbody>
                      {round.trainings.map((x) => (
                        <tr>
                          <td class="nowrap">
                            {x.staffName} <span class="code">{x.staff}</span>
                          </td>
                          <td>
                            {text.t.render('trainingText', {
                              businesses: x.businesses.join(', '),
                              days: x.days,
                              before: x.before,
                            })}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              ) : null}
              <h3>{r('detail.coverage')}</h3>
              <CoverageTable r={r} before={round.coverageBefore} after={round.coverageAfter} />
            </section>
          ))}
        </>
      );
    },
  });
}

const planId = (c: Context<AppEnv>) => {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id < 1) throw new AppError('NOT_FOUND', 'no such plan');
  return id;
};

rotationPages.get('/rotation/plans/:id', pageGuard(rotationPage), async (c) => {
  const plan = await getPlan(c.get('deps').db, planId(c));
  const done = c.req.query('done');
  const strings = rotationStrings(localeOf(c));
  const notice =
    done && strings.has(`actions.done.${done}`)
      ? { ok: true, text: strings.get(`actions.done.${done}`)! }
      : undefined;
  return planPage(c, plan, notice);
});

for (const [action, allowed, run] of [
  ['approve', (c: Context<AppEnv>) => can(c, 'decide'), approvePlan],
  ['apply', canApply, applyPlan],
  ['archive', canApply, archivePlan],
] as const) {
  rotationPages.post(`/rotation/plans/:id/${action}`, pageGuard(rotationPage), async (c) => {
    if (!allowed(c)) return forbiddenPage(c);
    const id = planId(c);
    try {
      await run(c.get('deps').db, id, { actor: actorOf(c.get('principal')) });
    } catch (err) {
      if (!(err instanceof AppError) || err.code === 'INTERNAL') throw err;
      const plan = await getPlan(c.get('deps').db, id);
      const text = rotationStrings(localeOf(c)).get('actions.failed') ?? '{message}';
      return planPage(c, plan, { ok: false, text: text.replace('{message}', err.message) });
    }
    const state = action === 'approve' ? 'approved' : action === 'apply' ? 'applied' : 'archived';
    return c.redirect(`/rotation/plans/${id}?done=${state}`, 303);
  });
}
