/**
 * The pieces of the inspector's workbench (pages.tsx): the run list with progress, the summary
 * tables by check and by clerk, the findings table, and a case's results. Wording comes from
 * `templates/verification/ui.yaml` (and the check names and basis from the run's policy).
 */
import { join } from 'node:path';
import type { Child } from 'hono/jsx';
import { loadTemplate } from '../documents/index.ts';
import { templatesDir } from '../paths.ts';
import { Grid } from '../web/components.tsx';
import type { View } from '../web/render.tsx';
import type { CheckName, VerificationPolicy } from './policy.ts';
import type { FindingRow, RunView } from './query.ts';

const dir = join(templatesDir, 'verification');

/** The workbench's strings in the viewer's language. */
export function uiText(v: { locale: View['locale'] }) {
  const t = loadTemplate('ui', v.locale, { dir });
  return (key: string, data: Record<string, string | number> = {}) => t.render(key, data);
}
export type Ui = ReturnType<typeof uiText>;

export const checkName = (v: View, policy: VerificationPolicy, check: string) =>
  policy.checks[check as CheckName]?.name[v.locale] ?? check;

export function StatusBadge({ u, run }: { u: Ui; run: RunView }) {
  const s = run.status.status;
  const cls =
    s === 'done' ? 'badge badge-soft' : s === 'failed' || s === 'interrupted' ? 'badge badge-warn' : 'badge';
  return (
    <span class={cls} data-status={s}>
      {u(`status.${s}`)}
    </span>
  );
}

export function Progress({ u, run }: { u: Ui; run: RunView }) {
  const { done, total } = run.status;
  if (run.status.status !== 'running' && run.status.status !== 'queued') return null;
  return (
    <span class="run-progress">
      <progress max={total ?? 1} value={done}>
        {done}
      </progress>{' '}
      <span class="muted">{u('progress', { done, total: total ?? '?' })}</span>
    </span>
  );
}

export function scopeText(u: Ui, run: RunView) {
  return run.periodFrom && run.periodTo
    ? u('runs.period', { from: run.periodFrom, to: run.periodTo })
    : u('runs.listed', { n: run.caseNos?.length ?? 0 });
}

export function RunsTable({ v, u, runs }: { v: View; u: Ui; runs: RunView[] }) {
  return (
    <Grid
      rows={runs}
      testId="runs"
      columns={[
        { head: u('runs.id'), cell: (r) => <a href={`/verification/runs/${r.id}`}>#{r.id}</a> },
        { head: u('runs.scope'), cell: (r) => scopeText(u, r) },
        { head: u('runs.startedBy'), class: 'code', cell: (r) => r.startedBy },
        { head: u('runs.createdAt'), class: 'nowrap', cell: (r) => v.dateTime(r.createdAt) },
        {
          head: u('runs.status'),
          class: 'nowrap',
          cell: (r) => (
            <>
              <StatusBadge u={u} run={r} /> <Progress u={u} run={r} />
            </>
          ),
        },
        { head: u('runs.cases'), num: true, cell: (r) => r.status.cases },
        { head: u('runs.failures'), num: true, cell: (r) => r.status.failures },
      ]}
    />
  );
}

export function ByCheck({ v, u, run, policy }: { v: View; u: Ui; run: RunView; policy: VerificationPolicy }) {
  const link = (check: string, result: string, n: number) =>
    n > 0 ? <a href={`/verification/runs/${run.id}?check=${check}&result=${result}`}>{n}</a> : n;
  return (
    <table class="grid compact" data-testid="by-check">
      <thead>
        <tr>
          <th scope="col">{u('check')}</th>
          <th scope="col" class="num">
            {u('pass')}
          </th>
          <th scope="col" class="num">
            {u('fail')}
          </th>
          <th scope="col" class="num">
            {u('na')}
          </th>
        </tr>
      </thead>
      <tbody>
        {run.checks.map((c) => {
          const s = run.status.summary[c] ?? { pass: 0, fail: 0, not_applicable: 0 };
          return (
            <tr data-check={c}>
              <td>{checkName(v, policy, c)}</td>
              <td class="num">{link(c, 'pass', s.pass)}</td>
              <td class="num">{link(c, 'fail', s.fail)}</td>
              <td class="num">{link(c, 'not_applicable', s.not_applicable)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function ByClerk(props: {
  v: View;
  u: Ui;
  runId: number;
  policy: VerificationPolicy;
  rows: { staff: string; total: number; byCheck: Record<string, number | undefined> }[];
  names: Map<string, string>;
}) {
  const { v, u, runId, policy, rows, names } = props;
  return (
    <table class="grid compact" data-testid="by-clerk">
      <thead>
        <tr>
          <th scope="col">{u('staff')}</th>
          <th scope="col" class="num">
            {u('total')}
          </th>
          <th scope="col">{u('check')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>
              <a href={`/verification/runs/${runId}?staff=${encodeURIComponent(r.staff)}`}>
                {names.get(r.staff) ?? r.staff} <span class="code">{r.staff}</span>
              </a>
            </td>
            <td class="num">{r.total}</td>
            <td>
              {Object.entries(r.byCheck)
                .map(([c, n]) => `${checkName(v, policy, c)} ${n}`)
                .join(v.locale === 'zh-CN' ? '，' : ', ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FindingsTable(props: {
  v: View;
  u: Ui;
  runId: number;
  policy: VerificationPolicy;
  rows: FindingRow[];
  names: Map<string, string>;
}) {
  const { v, u, runId, policy, rows, names } = props;
  return (
    <Grid
      rows={rows}
      testId="findings"
      rowAttrs={(r) => ({ 'data-case': r.caseNo, 'data-check': r.check })}
      columns={[
        {
          head: u('caseNo'),
          class: 'nowrap',
          cell: (r) => (
            <a href={`/verification/runs/${runId}/cases/${encodeURIComponent(r.caseNo)}`}>
              <span class="code">{r.caseNo}</span>
            </a>
          ),
        },
        { head: u('check'), class: 'nowrap', cell: (r) => checkName(v, policy, r.check) },
        { head: u('result'), class: 'nowrap', cell: (r) => <ResultBadge u={u} result={r.result} /> },
        { head: u('detail'), cell: (r) => r.detail },
        { head: u('staff'), cell: (r) => r.staff.map((s) => `${names.get(s) ?? ''} ${s}`.trim()).join(', ') },
      ]}
    />
  );
}

export function ResultBadge({ u, result }: { u: Ui; result: string }) {
  if (result === 'fail')
    return (
      <span class="badge badge-warn" data-result="fail">
        {u('fail')}
      </span>
    );
  if (result === 'pass')
    return (
      <span class="badge badge-soft" data-result="pass">
        {u('pass')}
      </span>
    );
  return (
    <span class="muted" data-result="not_applicable">
      {u('na')}
    </span>
  );
}

export function Section({ title, children, id }: { title: string; children: Child; id?: string }) {
  return (
    <section class="section" id={id}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}
