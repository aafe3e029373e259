/**
 * Small pieces the pages share: form fields with their error beside them, the pager, list
 * tables, empty states and yes/no marks. All text comes through the View's `t`.
 *
 * @example
 * <Field v={v} name="name" label="users.name" value={form.name} error={errors.name} required />
 * <Pager v={v} page={2} pageSize={50} total={10000} />
 */
import type { Child } from 'hono/jsx';
import type { View } from './render.tsx';

/** Field errors by field name, in the user's language. */
export type FieldErrors = Record<string, string | undefined>;

interface FieldProps {
  v: View;
  name: string;
  /** Locale key of the label. */
  label: string;
  value?: string;
  error?: string;
  type?: 'text' | 'password' | 'search' | 'number';
  required?: boolean;
  autocomplete?: string;
  hint?: string;
  autofocus?: boolean;
}

export function Field(p: FieldProps) {
  const id = `f-${p.name}`;
  const describedBy = [p.error ? `${id}-error` : '', p.hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return (
    <div class={p.error ? 'field has-error' : 'field'}>
      <label for={id}>
        {p.v.t(p.label)}
        {p.required ? (
          <span class="req" aria-hidden="true">
            {' '}
            *
          </span>
        ) : null}
      </label>
      <input
        id={id}
        name={p.name}
        type={p.type ?? 'text'}
        value={p.value ?? ''}
        required={p.required}
        autocomplete={p.autocomplete}
        autofocus={p.autofocus}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} error={p.error} />
    </div>
  );
}

export function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="field-error" id={id}>
      {error}
    </p>
  ) : null;
}

interface SelectProps {
  v: View;
  name: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
  /** Label of an empty first option ("all"), as a locale key. */
  empty?: string;
  error?: string;
  autosubmit?: boolean;
}

export function Select(p: SelectProps) {
  const id = `f-${p.name}`;
  return (
    <div class={p.error ? 'field has-error' : 'field'}>
      <label for={id}>{p.v.t(p.label)}</label>
      <select
        id={id}
        name={p.name}
        data-autosubmit={p.autosubmit ? '' : undefined}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={p.error ? `${id}-error` : undefined}
      >
        {p.empty ? <option value="">{p.v.t(p.empty)}</option> : null}
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} error={p.error} />
    </div>
  );
}

/** Hidden CSRF field for forms that POST with a session. */
export const Csrf = ({ v }: { v: View }) => <input type="hidden" name="_csrf" value={v.csrf} />;

/** The options of a yes / no filter (values `yes`, `no`). */
export const yesNoOptions = (v: View) => [
  { value: 'yes', label: v.t('common.yes') },
  { value: 'no', label: v.t('common.no') },
];

export function YesNo({ v, value }: { v: View; value: boolean }) {
  return <span class={value ? 'yes' : 'no'}>{v.t(value ? 'common.yes' : 'common.no')}</span>;
}

export function Empty({ v, text }: { v: View; text?: string }) {
  return <p class="empty">{text ?? v.t('common.none')}</p>;
}

/** Page numbers to show around the current one: 1 … 4 5 [6] 7 8 … 200. */
export function pageWindow(page: number, pages: number, around = 2): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= around) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

export function Pager(p: { v: View; page: number; pageSize: number; total: number }) {
  const { v, page, pageSize, total } = p;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  return (
    <nav class="pager" aria-label={v.t('pager.label')}>
      <span class="pager-summary">{v.t('pager.summary', { from, to, total })}</span>
      <span class="pager-pages">
        {page > 1 ? (
          <a href={v.withQuery({ page: page - 1 })} rel="prev">
            {v.t('pager.prev')}
          </a>
        ) : (
          <span class="disabled">{v.t('pager.prev')}</span>
        )}
        {pageWindow(page, pages).map((n) =>
          n === null ? (
            <span class="gap">…</span>
          ) : n === page ? (
            <span class="current" aria-current="page">
              {n}
            </span>
          ) : (
            <a href={v.withQuery({ page: n })}>{n}</a>
          ),
        )}
        {page < pages ? (
          <a href={v.withQuery({ page: page + 1 })} rel="next">
            {v.t('pager.next')}
          </a>
        ) : (
          <span class="disabled">{v.t('pager.next')}</span>
        )}
      </span>
    </nav>
  );
}

/** A labelled list of facts (detail pages). */
export function Facts({ rows }: { rows: [string, Child][] }) {
  return (
    <dl class="facts">
      {rows.map(([k, val]) => (
        <div>
          <dt>{k}</dt>
          <dd>{val}</dd>
        </div>
      ))}
    </dl>
  );
}

/** One column of a `Grid`: its heading and what each row shows under it. */
export interface Column<T> {
  head: Child;
  cell: (row: T) => Child;
  /** Right-aligns the heading with the cells, so figures line up under it. */
  num?: boolean;
  /** Class of the cells only (`nowrap`, `code`): headings keep the table's own style. Not with `num`. */
  class?: string;
  /** Further attributes of each cell, such as a title with the value the cell shortens. */
  attrs?: (row: T) => Record<string, string>;
}

/**
 * A list as a table: one heading row, then one row per item. Each column holds its heading
 * and its cell together, so a page cannot add one without the other and shift the columns.
 * `rowAttrs` marks the rows that tests and scripts find (`data-id`) or CSS greys (`past`).
 *
 * @example
 * <Grid
 *   rows={overview.departments}
 *   testId="departments"
 *   rowAttrs={(d) => ({ 'data-code': d.code })}
 *   columns={[
 *     { head: v.t('org.code'), class: 'code', cell: (d) => d.code },
 *     { head: v.t('org.departments.name'), cell: (d) => d.name },
 *     { head: v.t('org.departments.staff'), num: true, cell: (d) => <a href={`/org/staff?department=${d.code}`}>{d.staff}</a> },
 *   ]}
 * />
 */
export function Grid<T>(p: {
  rows: T[];
  /** `false` leaves a column out, as `cond && column`, for one not every reader sees. */
  columns: (Column<T> | false)[];
  id?: string;
  testId?: string;
  rowAttrs?: (row: T) => Record<string, string | number | undefined>;
}) {
  const columns = p.columns.filter((c) => c !== false);
  return (
    <table class="grid" id={p.id} data-testid={p.testId}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th scope="col" class={c.num ? 'num' : undefined}>
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((r) => (
          <tr {...p.rowAttrs?.(r)}>
            {columns.map((c) => (
              <td class={c.num ? 'num' : c.class} {...c.attrs?.(r)}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
