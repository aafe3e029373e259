/**
 * Pages for inspectors and leaders: the list of matters with their lights, and one matter with
 * everything it holds and the forms of the step it is at (assign, investigate, propose with a
 * graded preview, decide, notify, appeal, close). A staff member sees their own decided matter
 * here too, with their level, their document and the appeal form. Every form posts to
 * `/misconduct/:id/<step>`, which calls the same service as the API and comes back here.
 *
 * @example
 * // GET  /misconduct?state=proposed&light=red
 * // GET  /misconduct/7
 * // POST /misconduct/7/propose  faultType=late-completion&factors=intent&summary=...&action=preview
 */
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { listUsers } from '../../platform/auth.ts';
import { AppError } from '../../platform/errors.ts';
import type { AppEnv } from '../../platform/http.ts';
import { Csrf, Empty, Facts, Grid } from '../../web/components.tsx';
import { notFoundPage, pageGuard } from '../../web/guard.tsx';
import { registerPage } from '../../web/registry.ts';
import { renderPage, type View } from '../../web/render.tsx';
import { getMatter } from '../common.ts';
import { addEvidence } from '../evidence.ts';
import type { MisconductPolicy } from '../policy.ts';
import { complainantOf } from '../privacy.ts';
import { ctxOf } from '../routes.ts';
import { matterSources, matterStates, misconductPersons } from '../schema.ts';
import { listMatters, matterDetail } from '../views.ts';
import {
  addNote,
  assignMatter,
  closeMatter,
  decideAppeal,
  decideMatter,
  fileAppeal,
  notifyMatter,
  type PersonGrade,
  previewGrades,
  proposeMatter,
  returnProposal,
  startInvestigation,
  updateMatter,
} from '../workflow.ts';
import {
  allMattersGuard,
  faultName,
  LightBadge,
  levelLabel,
  matterColumns,
  textFor,
  unconditional,
} from './common.tsx';
import { type M, pageText } from './strings.ts';

export const mattersPage = registerPage({
  path: '/misconduct',
  navKey: 'nav.misconduct',
  descKey: 'nav.desc.misconduct',
  section: 'supervision',
  // Inspectors work the list; leaders reach it from their queue (a clerk's own-matter grant does
  // not count: the route checks for every matter).
  can: ['create', 'Misconduct'],
  order: 40,
});

export const matterPages = new Hono<AppEnv>();

const LIGHTS = ['green', 'yellow', 'red', 'none'] as const;

matterPages.get('/misconduct', allMattersGuard('read'), async (c) => {
  const q = (k: string) => c.req.query(k) || undefined;
  const pick = <T extends string>(v: string | undefined, all: readonly T[]) =>
    v && all.includes(v as T) ? [v as T] : undefined;
  const ctx = ctxOf(c);
  const page = Math.max(1, Number(c.req.query('page')) || 1);
  const { rows, total } = await listMatters(
    c.get('deps').db,
    {
      state: pick(q('state'), matterStates),
      source: pick(q('source'), matterSources),
      light: pick(q('light'), LIGHTS),
      inspector: q('inspector'),
      staff: q('staff'),
    },
    ctx.today,
    { limit: 50, offset: (page - 1) * 50 },
  );
  return renderPage(c, {
    title: 'nav.misconduct',
    actions: (v) => {
      const m = pageText(v);
      return (
        <>
          <a class="btn" href="/misconduct/stats">
            {m('list.stats')}
          </a>
          {unconditional(c, 'decide') ? (
            <a class="btn" href="/misconduct/queue">
              {m('list.queue')}
            </a>
          ) : null}
        </>
      );
    },
    body: (v) => {
      const m = pageText(v);
      const col = matterColumns<(typeof rows)[number]>(m, ctx.policy, v);
      const select = (name: string, label: string, values: readonly string[], prefix: string) => (
        <div class="field">
          <label for={`f-${name}`}>{m(label)}</label>
          <select id={`f-${name}`} name={name} data-autosubmit="">
            <option value="">{m('list.all')}</option>
            {values.map((x) => (
              <option value={x} selected={c.req.query(name) === x}>
                {m(`${prefix}.${x}`)}
              </option>
            ))}
          </select>
        </div>
      );
      return (
        <>
          <form method="get" action="/misconduct" class="filters">
            {select('state', 'list.state', matterStates, 'states')}
            {select('light', 'list.light', LIGHTS, 'lights')}
            {select('source', 'list.source', matterSources, 'sources')}
            <button type="submit" class="btn">
              {m('list.filter')}
            </button>
          </form>
          {rows.length === 0 ? (
            <Empty v={v} text={m('list.none')} />
          ) : (
            <Grid
              rows={rows}
              testId="matters"
              rowAttrs={(r) => ({ 'data-id': r.id })}
              columns={[
                col.id,
                col.state,
                col.light,
                { head: m('list.source'), cell: (r) => m(`sources.${r.source}`) },
                col.fault,
                { head: m('list.staff'), cell: (r) => r.staff.join('、') || '—' },
                { head: m('list.inspector'), cell: (r) => r.inspector ?? '—' },
                { head: m('list.received'), cell: (r) => v.date(r.receivedOn) },
                { head: m('list.due'), cell: (r) => (r.dueOn ? v.date(r.dueOn) : '—') },
              ]}
            />
          )}
          <p class="hint">{`${rows.length} / ${total}`}</p>
        </>
      );
    },
  });
});

// ---- one matter ---------------------------------------------------------------------------------

type Detail = Awaited<ReturnType<typeof matterDetail>>;
type Full = Extract<Detail, { view: 'full' }>;
type Own = Extract<Detail, { view: 'own' }>;

interface Extra {
  ok?: string;
  errors?: string[];
  status?: 200 | 400 | 403 | 404 | 409 | 413;
  preview?: PersonGrade[];
  /** What the propose form held, to show it again after a preview or an error. */
  form?: Record<string, string | string[]>;
}

async function showMatter(c: Context<AppEnv>, id: number, extra: Extra = {}) {
  const ctx = ctxOf(c);
  const { db } = c.get('deps');
  let d: Detail;
  try {
    d = await matterDetail(db, id, c.get('principal'), ctx.today, ctx.policy);
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return notFoundPage(c);
    throw err;
  }
  const inspectors =
    d.view === 'full' ? (await listUsers(db)).filter((u) => u.role === 'inspector' && u.active) : [];
  return renderPage(c, {
    title: textFor(c)('detail.title', { id }),
    titleText: true,
    status: extra.status ?? 200,
    body: (v) => {
      const m = pageText(v);
      return (
        <div class="matter" data-state={d.matter.state} data-id={id}>
          {extra.ok ? (
            <p class="notice notice-ok" role="status" data-testid="ok">
              {m(`detail.saved.${extra.ok}`)}
            </p>
          ) : null}
          {extra.errors?.length ? (
            <section class="notice notice-error" role="alert" data-testid="errors">
              {extra.errors.map((e) => (
                <p>{e}</p>
              ))}
            </section>
          ) : null}
          {d.view === 'full' ? (
            <FullView v={v} m={m} d={d} policy={ctx.policy} inspectors={inspectors} extra={extra} c={c} />
          ) : (
            <OwnView v={v} m={m} d={d} policy={ctx.policy} />
          )}
        </div>
      );
    },
  });
}

function PersonsTable({
  v,
  m,
  policy,
  persons,
  id,
}: {
  v: View;
  m: M;
  policy: MisconductPolicy;
  persons: Full['persons'];
  id: number;
}) {
  if (!persons.length) return <Empty v={v} />;
  return (
    <Grid
      rows={persons}
      testId="persons"
      rowAttrs={(p) => ({ 'data-staff': p.staff })}
      columns={[
        { head: m('list.staff'), cell: (p) => `${p.staff} ${p.name ?? ''}` },
        {
          head: m('detail.responsibility'),
          cell: (p) =>
            policy.responsibility.find((r) => r.code === p.responsibility)?.name[v.locale] ??
            p.responsibility,
        },
        { head: m('detail.computed'), cell: (p) => levelLabel(m, policy, v, p.computed) },
        {
          head: m('detail.proposed'),
          cell: (p) => (
            <>
              {levelLabel(m, policy, v, p.proposed)}
              {p.departureReason ? (
                <p class="hint">{`${m('detail.departure')}：${p.departureReason}`}</p>
              ) : null}
            </>
          ),
        },
        {
          head: m('detail.decided'),
          cell: (p) => (
            <>
              {levelLabel(m, policy, v, p.decided)}
              {p.decisionReason ? (
                <p class="hint">{`${m('detail.departure')}：${p.decisionReason}`}</p>
              ) : null}
            </>
          ),
        },
        {
          head: m('detail.final'),
          attrs: () => ({ 'data-testid': 'final' }),
          cell: (p) => levelLabel(m, policy, v, p.final),
        },
        {
          head: m('detail.document'),
          cell: (p) =>
            p.documentNumber ? (
              <>
                <a
                  href={`/api/misconduct/matters/${id}/documents/${encodeURIComponent(p.staff)}`}
                  data-testid="document"
                >
                  {p.documentNumber}
                </a>{' '}
                <a href={`/verify/${encodeURIComponent(p.documentNumber)}`}>{m('detail.verify')}</a>
              </>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}

function Lines({
  m,
  persons,
}: {
  m: M;
  persons: { staff: string; lines: { text: string; delta: number }[] }[];
}) {
  const withLines = persons.filter((p) => p.lines.length);
  if (!withLines.length) return null;
  return (
    <section class="panel" data-testid="lines">
      <h2>{m('detail.lines')}</h2>
      {withLines.map((p) => (
        <div>
          <h3>{p.staff}</h3>
          <table class="grid compact">
            <tbody>
              {p.lines.map((l) => (
                <tr>
                  <td>{l.text}</td>
                  <td class="num">{l.delta > 0 ? `+${l.delta}` : String(l.delta)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}

const Panel = (p: { title: string; testid?: string; children?: Child }) => (
  <section class="panel" data-testid={p.testid}>
    <h2>{p.title}</h2>
    {p.children}
  </section>
);

function LevelSelect(p: {
  m: M;
  v: View;
  policy: MisconductPolicy;
  name: string;
  empty: string;
  value?: string;
}) {
  return (
    <select name={p.name} id={`f-${p.name}`}>
      <option value="">{p.m(p.empty)}</option>
      {[...p.policy.levels.map((l) => String(l.level)), '0', 'exempt'].map((x) => (
        <option value={x} selected={p.value === x}>
          {levelLabel(p.m, p.policy, p.v, x === 'exempt' ? 'exempt' : Number(x))}
        </option>
      ))}
    </select>
  );
}

function FullView(p: {
  v: View;
  m: M;
  d: Full;
  policy: MisconductPolicy;
  inspectors: { name: string; staffNo: string | null }[];
  extra: Extra;
  c: Context<AppEnv>;
}) {
  const { v, m, d, policy, extra } = p;
  const mt = d.matter;
  const principal = v.principal;
  const assignee = principal.kind === 'user' && mt.inspector === principal.name;
  const canUpdate = unconditional(p.c, 'update');
  const canDecide = unconditional(p.c, 'decide');
  const form = extra.form ?? {};
  const fv = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');
  const checked = (k: string, val: string) =>
    Array.isArray(form[k]) ? (form[k] as string[]).includes(val) : form[k] === val;
  const post = (verb: string) => `/misconduct/${mt.id}/${verb}`;
  const pending = d.appeals.filter((a) => a.outcome === 'pending');
  const complainant = d.complainant;
  return (
    <>
      <Facts
        rows={[
          [m('list.state'), <strong data-testid="state">{m(`states.${mt.state}`)}</strong>],
          [
            m('list.due'),
            <>
              {mt.dueOn ? v.date(mt.dueOn) : '—'} <LightBadge m={m} light={mt.light} />
            </>,
          ],
          [m('list.source'), m(`sources.${mt.source}`)],
          [m('complaint.kind'), m(`complaint.kinds.${mt.kind}`)],
          [m('list.received'), v.date(mt.receivedOn)],
          [m('detail.cases'), mt.cases.join('、') || '—'],
          [m('list.fault'), mt.faultType ? faultName(policy, mt.faultType, v) : '—'],
          [m('list.inspector'), mt.inspector ?? '—'],
          ...(mt.concernedHint ? ([[m('detail.hint'), mt.concernedHint]] as [string, Child][]) : []),
          [
            m('detail.complainant'),
            <>
              {!complainant.present
                ? m('detail.complainantNone')
                : complainant.erased
                  ? m('detail.complainantErased')
                  : complainant.anonymous
                    ? m('detail.complainantAnonymous')
                    : m('detail.complainantNamed')}
              {complainant.visibleToYou && !complainant.anonymous && !complainant.erased ? (
                <>
                  {' '}
                  <a href={`/misconduct/${mt.id}/complainant`} data-testid="show-complainant">
                    {m('detail.showComplainant')}
                  </a>
                </>
              ) : null}
            </>,
          ],
          ...(mt.decidedOn
            ? ([[m('detail.decidedBy'), `${mt.decidedBy ?? ''} ${v.date(mt.decidedOn)}`]] as [
                string,
                Child,
              ][])
            : []),
          ...(mt.appealUntil
            ? ([[m('detail.appealUntil'), v.date(mt.appealUntil)]] as [string, Child][])
            : []),
        ]}
      />
      <Panel title={m('detail.facts')}>
        <p class="prewrap" data-testid="facts">
          {mt.facts}
        </p>
      </Panel>
      {mt.proposal ? (
        <Panel title={m('detail.proposal')} testid="proposal">
          <p>{mt.proposal.summary}</p>
          <p class="hint">{`${m('detail.proposedBy')}：${mt.proposal.proposedBy} ${v.date(mt.proposal.proposedOn)}`}</p>
        </Panel>
      ) : null}
      <Panel title={m('detail.persons')}>
        <PersonsTable v={v} m={m} policy={policy} persons={d.persons} id={mt.id} />
      </Panel>
      <Lines m={m} persons={extra.preview ?? d.persons} />

      {/* ---- the step the matter is at ---- */}
      {canUpdate && ['registered', 'assigned', 'investigating'].includes(mt.state) ? (
        <Panel title={m('actions.assign')} testid="assign">
          <form method="post" action={post('assign')} class="form inline-form">
            <Csrf v={v} />
            <label for="f-inspector">{m('actions.assignTo')}</label>
            <select name="inspector" id="f-inspector">
              {p.inspectors
                .filter((u) => !u.staffNo || !mt.staff.includes(u.staffNo))
                .map((u) => (
                  <option value={u.name} selected={u.name === mt.inspector}>
                    {u.name}
                  </option>
                ))}
            </select>{' '}
            <button type="submit" class="btn">
              {m('actions.assign')}
            </button>
          </form>
        </Panel>
      ) : null}
      {assignee && mt.state === 'assigned' ? (
        <form method="post" action={post('start')} class="form">
          <Csrf v={v} />
          <button type="submit" class="btn btn-primary" data-testid="start">
            {m('actions.start')}
          </button>
        </form>
      ) : null}
      {assignee && mt.state === 'investigating' ? (
        <>
          <Panel title={m('actions.details')} testid="details">
            <form method="post" action={post('details')} class="form">
              <Csrf v={v} />
              <table class="grid compact">
                <tbody>
                  {[0, 1, 2].map((i) => {
                    const cur = d.persons[i];
                    return (
                      <tr>
                        <td>
                          <input
                            name={`staff_${i}`}
                            id={`f-staff_${i}`}
                            value={cur?.staff ?? ''}
                            placeholder={m('actions.staff')}
                            aria-label={m('actions.staff')}
                          />
                        </td>
                        <td>
                          <select name={`resp_${i}`} aria-label={m('detail.responsibility')}>
                            {policy.responsibility.map((r) => (
                              <option value={r.code} selected={(cur?.responsibility ?? 'handler') === r.code}>
                                {r.name[v.locale]}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <button type="submit" class="btn">
                {m('actions.save')}
              </button>
            </form>
          </Panel>
          <Panel title={m('actions.propose')} testid="propose">
            <form method="post" action={post('propose')} class="form">
              <Csrf v={v} />
              <div class="field">
                <label for="f-faultType">{m('actions.faultType')}</label>
                <select name="faultType" id="f-faultType">
                  <option value="">—</option>
                  {policy.faultTypes.map((f) => (
                    <option value={f.code} selected={(fv('faultType') || mt.faultType) === f.code}>
                      {f.name[v.locale]}
                    </option>
                  ))}
                </select>
              </div>
              <div class="field">
                <label for="f-severity">{m('actions.severity')}</label>
                <select name="severity" id="f-severity">
                  {policy.severities.map((s) => (
                    <option value={s.code} selected={fv('severity') === s.code}>
                      {s.name[v.locale]}
                    </option>
                  ))}
                </select>
              </div>
              <fieldset class="field">
                <legend>{m('actions.factors')}</legend>
                {policy.factors.map((f) => (
                  <label class="checkbox">
                    <input
                      type="checkbox"
                      name="factors"
                      value={f.code}
                      checked={checked('factors', f.code)}
                    />{' '}
                    {f.name[v.locale]} ({f.delta > 0 ? `+${f.delta}` : f.delta})
                  </label>
                ))}
              </fieldset>
              <fieldset class="field">
                <legend>{m('actions.exemptions')}</legend>
                {policy.exemptions.map((f) => (
                  <label class="checkbox">
                    <input
                      type="checkbox"
                      name="exemptions"
                      value={f.code}
                      checked={checked('exemptions', f.code)}
                    />{' '}
                    {f.name[v.locale]}
                  </label>
                ))}
                <label class="checkbox">
                  <input type="checkbox" name="unfounded" value="on" checked={checked('unfounded', 'on')} />{' '}
                  {m('actions.unfounded')}
                </label>
              </fieldset>
              <div class="field">
                <label for="f-summary">{m('actions.summary')}</label>
                <textarea name="summary" id="f-summary" rows={4}>
                  {fv('summary')}
                </textarea>
              </div>
              {d.persons.map((x) => (
                <div class="field">
                  <label
                    for={`f-level_${x.staff}`}
                  >{`${x.staff} ${x.name ?? ''} — ${m('actions.levelOverride')}`}</label>
                  <LevelSelect
                    m={m}
                    v={v}
                    policy={policy}
                    name={`level_${x.staff}`}
                    empty="actions.asComputed"
                    value={fv(`level_${x.staff}`)}
                  />
                  <input
                    name={`reason_${x.staff}`}
                    id={`f-reason_${x.staff}`}
                    value={fv(`reason_${x.staff}`)}
                    placeholder={m('actions.reason')}
                    aria-label={m('actions.reason')}
                  />
                </div>
              ))}
              <p class="form-actions">
                <button type="submit" name="action" value="preview" class="btn" data-testid="preview">
                  {m('actions.preview')}
                </button>{' '}
                <button
                  type="submit"
                  name="action"
                  value="propose"
                  class="btn btn-primary"
                  data-testid="submit-proposal"
                >
                  {m('actions.submitProposal')}
                </button>
              </p>
            </form>
          </Panel>
        </>
      ) : null}
      {mt.state === 'proposed' && canDecide ? (
        d.mayDecide ? (
          <>
            <Panel title={m('actions.decide')} testid="decide">
              <form method="post" action={post('decide')} class="form">
                <Csrf v={v} />
                {d.persons.map((x) => (
                  <div class="field">
                    <label
                      for={`f-level_${x.staff}`}
                    >{`${x.staff} ${x.name ?? ''} — ${m('actions.levelDecided')}`}</label>
                    <LevelSelect
                      m={m}
                      v={v}
                      policy={policy}
                      name={`level_${x.staff}`}
                      empty="actions.asProposed"
                    />
                    <input
                      name={`reason_${x.staff}`}
                      placeholder={m('actions.reason')}
                      aria-label={m('actions.reason')}
                    />
                  </div>
                ))}
                <div class="field">
                  <label for="f-note">{m('actions.decideNote')}</label>
                  <textarea name="note" id="f-note" rows={2}></textarea>
                </div>
                <button type="submit" class="btn btn-primary" data-testid="submit-decision">
                  {m('actions.submitDecision')}
                </button>
              </form>
            </Panel>
            <Panel title={m('actions.return')}>
              <form method="post" action={post('return')} class="form inline-form">
                <Csrf v={v} />
                <input
                  name="reason"
                  placeholder={m('actions.returnReason')}
                  aria-label={m('actions.returnReason')}
                />{' '}
                <button type="submit" class="btn">
                  {m('actions.return')}
                </button>
              </form>
            </Panel>
          </>
        ) : (
          <p class="notice notice-warn">{m('actions.cannotDecide')}</p>
        )
      ) : null}
      {assignee && mt.state === 'decided' ? (
        <Panel title={m('actions.notify')} testid="notify">
          <form method="post" action={post('notify')} class="form">
            <Csrf v={v} />
            <div class="field">
              <label for="f-notifiedOn">{m('actions.notifiedOn')}</label>
              <input type="date" name="notifiedOn" id="f-notifiedOn" />
            </div>
            {mt.source === 'public' || mt.source === 'staff' ? (
              <div class="field">
                <label for="f-publicReply">{m('actions.publicReply')}</label>
                <textarea name="publicReply" id="f-publicReply" rows={3}></textarea>
              </div>
            ) : null}
            <button type="submit" class="btn btn-primary" data-testid="submit-notify">
              {m('actions.notify')}
            </button>
          </form>
        </Panel>
      ) : null}
      {assignee && (mt.state === 'notified' || mt.state === 'appealed') ? (
        <Panel title={m('actions.appeal')}>
          <form method="post" action={post('appeal')} class="form">
            <Csrf v={v} />
            <select name="staff" aria-label={m('actions.appealFor')}>
              {d.persons.map((x) => (
                <option value={x.staff}>{x.staff}</option>
              ))}
            </select>
            <textarea
              name="grounds"
              rows={2}
              placeholder={m('actions.grounds')}
              aria-label={m('actions.grounds')}
            ></textarea>
            <button type="submit" class="btn">
              {m('actions.appeal')}
            </button>
          </form>
        </Panel>
      ) : null}
      {canDecide && mt.state === 'appealed'
        ? pending.map((a) => (
            <Panel title={`${m('actions.appealDecision')}：${a.staffNo}`} testid="appeal-decision">
              <p>{a.grounds}</p>
              <form method="post" action={post('appeal-decision')} class="form">
                <Csrf v={v} />
                <input type="hidden" name="staff" value={a.staffNo} />
                <select name="outcome" aria-label={m('actions.outcome')}>
                  {(['upheld', 'changed', 'revoked'] as const).map((o) => (
                    <option value={o}>{m(`actions.outcomes.${o}`)}</option>
                  ))}
                </select>
                <LevelSelect m={m} v={v} policy={policy} name="level" empty="actions.newLevel" />
                <input name="reason" placeholder={m('actions.reason')} aria-label={m('actions.reason')} />
                <button type="submit" class="btn btn-primary">
                  {m('actions.appealDecision')}
                </button>
              </form>
            </Panel>
          ))
        : null}
      {assignee && mt.state === 'notified' && mt.appealUntil && ctxToday(p.c) > mt.appealUntil ? (
        <form method="post" action={post('close')} class="form">
          <Csrf v={v} />
          <button type="submit" class="btn">
            {m('actions.close')}
          </button>
        </form>
      ) : null}

      {/* ---- the record ---- */}
      <Panel title={m('detail.notes')} testid="notes">
        {d.notes.length ? (
          <ul>
            {d.notes.map((n) => (
              <li>
                <span class="hint">{`${v.dateTime(n.at)} ${n.author}`}</span> {n.text}
              </li>
            ))}
          </ul>
        ) : (
          <p class="hint">{m('detail.noNotes')}</p>
        )}
        {assignee && mt.state !== 'closed' && mt.state !== 'registered' ? (
          <form method="post" action={post('notes')} class="form">
            <Csrf v={v} />
            <textarea name="text" rows={2} aria-label={m('actions.noteText')}></textarea>
            <button type="submit" class="btn">
              {m('actions.note')}
            </button>
          </form>
        ) : null}
      </Panel>
      <Panel title={m('detail.evidence')} testid="evidence">
        {d.evidence.length ? (
          <ul>
            {d.evidence.map((e) => (
              <li>
                <a href={`/api/misconduct/evidence/${e.id}`}>{e.fileName}</a>{' '}
                <span class="hint">{`${e.mediaType} ${e.size} B`}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="hint">{m('detail.noEvidence')}</p>
        )}
        {assignee && mt.state !== 'closed' && mt.state !== 'registered' ? (
          <form method="post" action="/misconduct/evidence" enctype="multipart/form-data" class="form">
            <Csrf v={v} />
            <input type="hidden" name="matter" value={String(mt.id)} />
            <label for="f-file">{m('actions.upload')}</label>{' '}
            <input type="file" name="file" id="f-file" accept="application/pdf,image/jpeg,image/png" />{' '}
            <button type="submit" class="btn">
              {m('actions.file')}
            </button>
          </form>
        ) : null}
      </Panel>
      {d.effects.length ? (
        <Panel title={m('detail.effects')} testid="effects">
          <ul>
            {d.effects.map((e) => (
              <li data-kind={e.kind} data-active={String(e.active)}>
                {`${e.staffNo} ${m(`effects.kinds.${e.kind}`)}${e.year ? ` (${e.year})` : ''} ${v.date(e.fromOn)}${e.endedOn ? ` — ${v.date(e.endedOn)}` : ''}`}
              </li>
            ))}
          </ul>
        </Panel>
      ) : null}
      {d.appeals.length ? (
        <Panel title={m('detail.appeals')}>
          <ul>
            {d.appeals.map((a) => (
              <li>{`${a.staffNo} ${v.date(a.filedOn)}：${a.grounds} — ${m(a.outcome === 'pending' ? 'states.appealed' : `actions.outcomes.${a.outcome}`)}${a.reason ? `（${a.reason}）` : ''}`}</li>
            ))}
          </ul>
        </Panel>
      ) : null}
      <Panel title={m('detail.history')} testid="history">
        <ol>
          {d.transitions.map((t) => (
            <li>{`${v.date(t.on)} ${m(`states.${t.toState}`)} ${t.actor}${t.note ? `：${t.note}` : ''}`}</li>
          ))}
        </ol>
      </Panel>
    </>
  );
}

const ctxToday = (c: Context<AppEnv>) => ctxOf(c).today;

function OwnView({ v, m, d, policy }: { v: View; m: M; d: Own; policy: MisconductPolicy }) {
  const mt = d.matter;
  return (
    <>
      <Facts
        rows={[
          [m('list.state'), <strong data-testid="state">{m(`states.${mt.state}`)}</strong>],
          [m('complaint.kind'), m(`complaint.kinds.${mt.kind}`)],
          [m('list.fault'), mt.faultType ? faultName(policy, mt.faultType, v) : '—'],
          [m('detail.cases'), mt.cases.join('、') || '—'],
          [m('detail.decidedBy'), mt.decidedOn ? v.date(mt.decidedOn) : '—'],
          ...(mt.appealUntil
            ? ([[m('detail.appealUntil'), v.date(mt.appealUntil)]] as [string, Child][])
            : []),
        ]}
      />
      <Panel title={m('detail.facts')}>
        <p class="prewrap">{mt.facts}</p>
        {mt.summary ? <p>{`${m('detail.summary')}：${mt.summary}`}</p> : null}
      </Panel>
      <Panel title={m('detail.persons')}>
        <PersonsTable v={v} m={m} policy={policy} persons={d.persons} id={mt.id} />
      </Panel>
      <Lines m={m} persons={d.persons} />
      {d.mayAppeal ? (
        <Panel title={m('actions.appeal')} testid="appeal">
          <form method="post" action={`/misconduct/${mt.id}/appeal`} class="form">
            <Csrf v={v} />
            <input type="hidden" name="staff" value={v.principal.staffNo ?? ''} />
            <textarea name="grounds" rows={3} aria-label={m('actions.grounds')}></textarea>
            <button type="submit" class="btn btn-primary">
              {m('actions.appeal')}
            </button>
          </form>
        </Panel>
      ) : null}
    </>
  );
}

matterPages.get('/misconduct/:id{[0-9]+}', pageGuard(['read', 'Misconduct']), (c) =>
  showMatter(c, Number(c.req.param('id')), { ok: c.req.query('ok') || undefined }),
);

matterPages.get('/misconduct/:id{[0-9]+}/complainant', allMattersGuard('read'), async (c) => {
  const id = Number(c.req.param('id'));
  const who = await complainantOf(c.get('deps').db, id, c.get('principal'));
  return renderPage(c, {
    title: textFor(c)('detail.complainant'),
    titleText: true,
    body: (v) => {
      const m = pageText(v);
      return (
        <>
          <Facts
            rows={[
              [m('complaint.name'), who.name ?? '—'],
              [m('complaint.phone'), who.phone ?? '—'],
              [m('complaint.email'), who.email ?? '—'],
              [m('actions.staff'), who.staffNo ?? '—'],
            ]}
          />
          <p>
            <a href={`/misconduct/${id}`}>{m('detail.title', { id })}</a>
          </p>
        </>
      );
    },
  });
});

// ---- the steps ----------------------------------------------------------------------------------

type FormBody = Record<string, string | File | (string | File)[]>;
const str = (b: FormBody, k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
const list = (b: FormBody, k: string) => {
  const x = b[k];
  return (Array.isArray(x) ? x : x === undefined ? [] : [x]).filter(
    (s): s is string => typeof s === 'string' && s !== '',
  );
};
const levelOf = (s: string) => (s === 'exempt' ? ('exempt' as const) : Number(s));

/** Runs a step; on success back to the matter with a notice, else the matter with the problems. */
async function step(c: Context<AppEnv>, name: string, fn: (body: FormBody, id: number) => Promise<unknown>) {
  const id = Number(c.req.param('id'));
  const body = (await c.req.parseBody({ all: true })) as FormBody;
  try {
    await fn(body, id);
    return c.redirect(`/misconduct/${id}?ok=${name}`, 303);
  } catch (err) {
    if (
      err instanceof AppError &&
      [
        'VALIDATION_FAILED',
        'CONFLICT',
        'FORBIDDEN',
        'UNPROCESSABLE',
        'PAYLOAD_TOO_LARGE',
        'UNSUPPORTED_MEDIA_TYPE',
      ].includes(err.code)
    ) {
      const errors = err.errors?.length ? err.errors.map((e) => `${e.path}: ${e.message}`) : [err.message];
      const status = err.status === 422 || err.status === 415 ? 400 : (err.status as 400 | 403 | 409 | 413);
      return showMatter(c, id, { errors, status, form: body as Record<string, string | string[]> });
    }
    throw err;
  }
}

const db = (c: Context<AppEnv>) => c.get('deps').db;
const ID = '/misconduct/:id{[0-9]+}';

matterPages.post(`${ID}/assign`, allMattersGuard('update'), (c) =>
  step(c, 'assign', (b, id) => assignMatter(db(c), ctxOf(c), id, { inspector: str(b, 'inspector') })),
);
matterPages.post(`${ID}/start`, allMattersGuard('update'), (c) =>
  step(c, 'start', (_b, id) => startInvestigation(db(c), ctxOf(c), id)),
);
matterPages.post(`${ID}/details`, allMattersGuard('update'), (c) =>
  step(c, 'details', (b, id) =>
    updateMatter(db(c), ctxOf(c), id, {
      persons: [0, 1, 2]
        .map((i) => ({
          staff: str(b, `staff_${i}`),
          responsibility: (str(b, `resp_${i}`) || 'handler') as 'handler',
        }))
        .filter((p) => p.staff),
    }),
  ),
);
matterPages.post(`${ID}/notes`, allMattersGuard('update'), (c) =>
  step(c, 'note', (b, id) => addNote(db(c), ctxOf(c), id, { text: str(b, 'text') })),
);

/** The proposal as the form holds it; persons are the matter's, with the levels chosen. */
async function proposalFrom(c: Context<AppEnv>, b: FormBody, id: number) {
  const m = await getMatter(db(c), id);
  const persons = await db(c).select().from(misconductPersons).where(eq(misconductPersons.matterId, m.id));
  return {
    matter: m,
    input: {
      unfounded: str(b, 'unfounded') === 'on',
      faultType: str(b, 'faultType') || undefined,
      severity: str(b, 'severity') || undefined,
      factors: list(b, 'factors'),
      exemptions: list(b, 'exemptions'),
      summary: str(b, 'summary'),
      persons: persons.map((p) => ({
        staff: p.staffNo,
        responsibility: p.responsibility as 'handler',
        ...(str(b, `level_${p.staffNo}`) ? { level: levelOf(str(b, `level_${p.staffNo}`)) } : {}),
        ...(str(b, `reason_${p.staffNo}`) ? { departureReason: str(b, `reason_${p.staffNo}`) } : {}),
      })),
    },
  };
}

matterPages.post(`${ID}/propose`, allMattersGuard('update'), async (c) => {
  const id = Number(c.req.param('id'));
  const body = (await c.req.parseBody({ all: true })) as FormBody;
  if (str(body, 'action') === 'preview') {
    try {
      const { matter, input } = await proposalFrom(c, body, id);
      const preview = await previewGrades(db(c), ctxOf(c), matter, {
        ...input,
        summary: input.summary || '-',
      });
      return showMatter(c, id, { preview, form: body as Record<string, string | string[]> });
    } catch (err) {
      if (err instanceof AppError && err.code === 'VALIDATION_FAILED')
        return showMatter(c, id, {
          errors: (err.errors ?? []).map((e) => `${e.path}: ${e.message}`),
          status: 400,
          form: body as Record<string, string | string[]>,
        });
      throw err;
    }
  }
  return step(c, 'propose', async (b) => {
    const { input } = await proposalFrom(c, b, id);
    return proposeMatter(db(c), ctxOf(c), id, input);
  });
});

matterPages.post(`${ID}/decide`, allMattersGuard('decide'), (c) =>
  step(c, 'decide', async (b, id) => {
    const staff = Object.keys(b)
      .filter((k) => k.startsWith('level_') && str(b, k))
      .map((k) => k.slice('level_'.length));
    return decideMatter(db(c), ctxOf(c), id, {
      note: str(b, 'note') || undefined,
      persons: staff.length
        ? staff.map((s) => ({
            staff: s,
            level: levelOf(str(b, `level_${s}`)),
            reason: str(b, `reason_${s}`),
          }))
        : undefined,
    });
  }),
);
matterPages.post(`${ID}/return`, allMattersGuard('decide'), (c) =>
  step(c, 'return', (b, id) => returnProposal(db(c), ctxOf(c), id, { reason: str(b, 'reason') })),
);
matterPages.post(`${ID}/notify`, allMattersGuard('update'), (c) =>
  step(c, 'notify', (b, id) =>
    notifyMatter(db(c), ctxOf(c), id, {
      notifiedOn: str(b, 'notifiedOn') || undefined,
      publicReply: str(b, 'publicReply') || undefined,
    }),
  ),
);
matterPages.post(`${ID}/appeal`, pageGuard(['update', 'Misconduct']), (c) =>
  step(c, 'appeal', (b, id) =>
    fileAppeal(db(c), ctxOf(c), id, { staff: str(b, 'staff'), grounds: str(b, 'grounds') }),
  ),
);
matterPages.post(`${ID}/appeal-decision`, allMattersGuard('decide'), (c) =>
  step(c, 'appealDecision', (b, id) =>
    decideAppeal(db(c), ctxOf(c), id, {
      staff: str(b, 'staff'),
      outcome: str(b, 'outcome') as 'upheld',
      ...(str(b, 'level') ? { level: levelOf(str(b, 'level')) } : {}),
      reason: str(b, 'reason'),
    }),
  ),
);
matterPages.post(`${ID}/close`, allMattersGuard('update'), (c) =>
  step(c, 'close', (_b, id) => closeMatter(db(c), ctxOf(c), id)),
);

matterPages.post('/misconduct/evidence', allMattersGuard('update'), async (c) => {
  const body = await c.req.parseBody();
  const id = Number(body.matter);
  if (!Number.isInteger(id) || id < 1) return notFoundPage(c);
  const file = body.file;
  try {
    if (!(file instanceof File) || file.size === 0)
      throw AppError.validation([{ path: 'file', message: 'choose a file' }]);
    await addEvidence(db(c), ctxOf(c), id, {
      fileName: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
    });
    return c.redirect(`/misconduct/${id}?ok=evidence`, 303);
  } catch (err) {
    if (err instanceof AppError && err.status < 500 && err.code !== 'NOT_FOUND') {
      const status = (err.status === 415 || err.status === 422 ? 400 : err.status) as 400 | 403 | 409 | 413;
      return showMatter(c, id, { errors: err.errors?.map((e) => e.message) ?? [err.message], status });
    }
    throw err;
  }
});
