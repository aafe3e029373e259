/**
 * The public pages: the complaint form (投诉举报, no login, anonymous allowed) and the status
 * lookup by tracking code, in Chinese and English (the shell's language switch). Rate- and
 * size-limited like the API; every field at fault is named beside the field.
 *
 * @example
 * // GET  /complaints          the form
 * // POST /complaints          -> the tracking code, shown once (or the form with its errors, 400)
 * // POST /complaints/status   code=K7QM-2XHD-9RTB-W3PN -> where it stands
 */
import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError, type FieldProblem } from '../../platform/errors.ts';
import type { AppEnv } from '../../platform/http.ts';
import { Csrf, Field, FieldError, type FieldErrors } from '../../web/components.tsx';
import { registerPage } from '../../web/registry.ts';
import { renderPage, type View } from '../../web/render.tsx';
import { actorString } from '../common.ts';
import { type ComplaintStatus, complaintStatus, fileComplaint } from '../intake.ts';
import { misconductPolicy } from '../policy.ts';
import { clientKey } from '../rate-limit.ts';
import { ctxOf, publicLimiters } from '../routes.ts';
import { localeOf as localeFromView, publicGuard } from './common.tsx';
import { type M, pageText } from './strings.ts';

/** For staff: the same form files an internal report. */
export const complaintsPage = registerPage({
  path: '/complaints',
  navKey: 'nav.complaints',
  descKey: 'nav.desc.complaints',
  section: 'work',
  can: ['create', 'Complaint'],
  order: 80,
});

export const publicPages = new Hono<AppEnv>();

type Form = Record<string, string>;

const FIELDS = ['kind', 'facts', 'concerned', 'caseNo', 'occurredOn', 'name', 'phone', 'email'] as const;

/** The form's text fields as typed; empty ones are left out (not "given as empty"). */
function formInput(body: Record<string, unknown>) {
  const form: Form = {};
  for (const f of FIELDS) if (typeof body[f] === 'string') form[f] = (body[f] as string).trim();
  const input: Record<string, unknown> = { anonymous: body.anonymous === 'on' || body.anonymous === 'true' };
  for (const f of FIELDS) if (form[f]) input[f] = form[f];
  if (body.anonymous === 'on') form.anonymous = 'on';
  return { form, input };
}

/** Field problems in the page's language: one message per field, from the strings file. */
function fieldErrors(m: M, problems: FieldProblem[]): FieldErrors {
  const out: FieldErrors = {};
  for (const p of problems) {
    const field = p.path.split(/[.[]/)[0] || 'form';
    out[field] ??= m(
      `complaint.errors.${(FIELDS as readonly string[]).includes(field) || field === 'anonymous' ? field : 'form'}`,
    );
  }
  return out;
}

function TextArea(p: {
  v: View;
  m: M;
  name: string;
  label: string;
  value?: string;
  error?: string;
  hint?: string;
  required?: boolean;
}) {
  const id = `f-${p.name}`;
  return (
    <div class={p.error ? 'field has-error' : 'field'}>
      <label for={id}>
        {p.m(p.label)}
        {p.required ? <span class="req"> *</span> : null}
      </label>
      <textarea
        id={id}
        name={p.name}
        rows={8}
        required={p.required}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={
          [p.hint ? `${id}-hint` : '', p.error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
        }
      >
        {p.value ?? ''}
      </textarea>
      {p.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {p.hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} error={p.error} />
    </div>
  );
}

function ComplaintForm({
  v,
  form,
  errors,
  internal,
}: {
  v: View;
  form: Form;
  errors: FieldErrors;
  internal: boolean;
}) {
  const m = pageText(v);
  const mv = { ...v, t: m } as View;
  const problems = Object.entries(errors).filter(([, e]) => e);
  return (
    <>
      <p class="lead">{m('complaint.intro')}</p>
      {internal ? <p class="notice notice-info">{m('complaint.internalNote')}</p> : null}
      {problems.length ? (
        <section class="notice notice-error" role="alert" data-testid="form-errors">
          <p>{m('complaint.errors.title')}</p>
          <ul>
            {problems.map(([f, e]) => (
              <li>
                <a href={`#f-${f}`}>{e}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <form method="post" action="/complaints" class="form complaint-form" novalidate>
        <Csrf v={v} />
        <fieldset class={errors.kind ? 'field has-error' : 'field'}>
          <legend>{m('complaint.kind')}</legend>
          {(['complaint', 'report'] as const).map((k) => (
            <label class="radio">
              <input type="radio" name="kind" value={k} checked={(form.kind ?? 'complaint') === k} />{' '}
              {m(`complaint.kinds.${k}`)}
            </label>
          ))}
          <FieldError id="f-kind-error" error={errors.kind} />
        </fieldset>
        <TextArea
          v={v}
          m={m}
          name="facts"
          label="complaint.facts"
          value={form.facts}
          error={errors.facts}
          hint={m('complaint.factsHint')}
          required
        />
        <Field
          v={mv}
          name="concerned"
          label="complaint.concerned"
          value={form.concerned}
          error={errors.concerned}
          hint={m('complaint.concernedHint')}
        />
        <Field v={mv} name="caseNo" label="complaint.caseNo" value={form.caseNo} error={errors.caseNo} />
        <div class={errors.occurredOn ? 'field has-error' : 'field'}>
          <label for="f-occurredOn">{m('complaint.occurredOn')}</label>
          <input
            id="f-occurredOn"
            name="occurredOn"
            type="date"
            value={form.occurredOn ?? ''}
            aria-invalid={errors.occurredOn ? 'true' : undefined}
          />
          <FieldError id="f-occurredOn-error" error={errors.occurredOn} />
        </div>
        <div class="field checkbox">
          <label>
            <input type="checkbox" name="anonymous" id="f-anonymous" checked={form.anonymous === 'on'} />{' '}
            {m('complaint.anonymous')}
          </label>
        </div>
        {internal ? null : (
          <fieldset class="contact">
            <p class="hint">{m('complaint.contactHint')}</p>
            <Field
              v={mv}
              name="name"
              label="complaint.name"
              value={form.name}
              error={errors.name}
              autocomplete="name"
            />
            <Field
              v={mv}
              name="phone"
              label="complaint.phone"
              value={form.phone}
              error={errors.phone}
              autocomplete="tel"
            />
            <Field
              v={mv}
              name="email"
              label="complaint.email"
              value={form.email}
              error={errors.email}
              autocomplete="email"
            />
          </fieldset>
        )}
        <p>
          <button type="submit" class="btn btn-primary">
            {m('complaint.submit')}
          </button>
        </p>
      </form>
      <p>
        <a href="/complaints/status">{m('status.title')}</a>
      </p>
    </>
  );
}

const isStaff = (c: Context<AppEnv>) => {
  const p = c.get('principal');
  return p.kind === 'user' && !!p.staffNo;
};

function formPage(c: Context<AppEnv>, form: Form, errors: FieldErrors, status: 200 | 400 | 413 | 429 = 200) {
  return renderPage(c, {
    title: pageText({ locale: localeFromView(c), t: (k) => k })('complaint.title'),
    titleText: true,
    status,
    body: (v) => <ComplaintForm v={v} form={form} errors={errors} internal={isStaff(c)} />,
  });
}

/** The form's small body limit, answered with the form page. */
const pageBodyLimit: MiddlewareHandler<AppEnv> = async (c, next) =>
  bodyLimit({
    maxSize: misconductPolicy().publicForm.maxBodyBytes,
    onError: (c) =>
      formPage(
        c as Context<AppEnv>,
        {},
        { form: text(c as Context<AppEnv>, 'complaint.errors.tooLarge') },
        413,
      ),
  })(c, next);

const text = (c: Context<AppEnv>, key: string, params?: Record<string, string | number>) =>
  pageText({ locale: localeFromView(c), t: (k) => k })(key, params);

/** Takes a token from the client's bucket; a page saying when to try again when empty. */
function limited(c: Context<AppEnv>, which: 'submit' | 'lookup') {
  const wait = publicLimiters()[which].take(clientKey(c));
  if (!wait) return null;
  c.header('retry-after', String(wait));
  return wait;
}

publicPages.get('/complaints', publicGuard('create', 'Complaint'), (c) => formPage(c, {}, {}));

publicPages.post('/complaints', publicGuard('create', 'Complaint'), pageBodyLimit, async (c) => {
  const p = c.get('principal');
  const body = await c.req.parseBody();
  const { form, input } = formInput(body);
  const wait = limited(c, 'submit');
  if (wait)
    return formPage(c, form, { form: text(c, 'complaint.errors.rateLimited', { seconds: wait }) }, 429);
  const ctx = ctxOf(c);
  try {
    const r = await fileComplaint(c.get('deps').db, input, {
      today: ctx.today,
      internal: isStaff(c) ? { staffNo: p.staffNo!, actor: actorString(p) } : undefined,
    });
    // Never cached: the code is shown this once.
    c.header('cache-control', 'no-store');
    return renderPage(c, {
      title: text(c, 'complaint.done.title'),
      titleText: true,
      status: 200,
      body: (v) => {
        const m = pageText(v);
        return (
          <section class="tracking" data-testid="tracking">
            <p>{m('complaint.done.code')}</p>
            <p class="tracking-code">
              <strong data-testid="tracking-code">{r.trackingCode}</strong>
            </p>
            <p class="notice notice-warn">{m('complaint.done.once')}</p>
            <dl class="facts">
              <div>
                <dt>{m('complaint.done.reference')}</dt>
                <dd data-testid="reference">{r.id}</dd>
              </div>
              <div>
                <dt>{m('complaint.done.received')}</dt>
                <dd>{v.date(r.receivedOn)}</dd>
              </div>
            </dl>
            <p>
              <a href="/complaints/status">{m('complaint.done.follow')}</a>
            </p>
          </section>
        );
      },
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'VALIDATION_FAILED') {
      const m = pageText({ locale: localeFromView(c), t: (k) => k });
      return formPage(c, form, fieldErrors(m, err.errors ?? []), 400);
    }
    throw err;
  }
});

function StatusForm({ v, code, error }: { v: View; code?: string; error?: string }) {
  const m = pageText(v);
  return (
    <form method="post" action="/complaints/status" class="form">
      <Csrf v={v} />
      <p class="lead">{m('status.intro')}</p>
      <Field
        v={{ ...v, t: m } as View}
        name="code"
        label="status.code"
        value={code}
        error={error}
        autocomplete="off"
        required
      />
      <p>
        <button type="submit" class="btn btn-primary">
          {m('status.submit')}
        </button>
      </p>
    </form>
  );
}

function StatusResult({ v, s }: { v: View; s: ComplaintStatus }) {
  const m = pageText(v);
  return (
    <section class="status-result" data-testid="status" data-status={s.status}>
      <dl class="facts">
        <div>
          <dt>{m('status.reference')}</dt>
          <dd>{s.reference}</dd>
        </div>
        <div>
          <dt>{m('complaint.kind')}</dt>
          <dd>{m(`complaint.kinds.${s.kind}`)}</dd>
        </div>
        <div>
          <dt>{m('status.received')}</dt>
          <dd>{v.date(s.receivedOn)}</dd>
        </div>
        <div>
          <dt>{m('status.status')}</dt>
          <dd>
            <strong data-testid="status-text">{m(`status.states.${s.status}`)}</strong>
          </dd>
        </div>
        <div>
          <dt>{m('status.since')}</dt>
          <dd>{v.date(s.since)}</dd>
        </div>
        {s.reply ? (
          <div>
            <dt>{m('status.reply')}</dt>
            <dd data-testid="reply">{s.reply}</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}

publicPages.get('/complaints/status', publicGuard('read', 'ComplaintStatus'), (c) =>
  renderPage(c, { title: text(c, 'status.title'), titleText: true, body: (v) => <StatusForm v={v} /> }),
);

publicPages.post('/complaints/status', publicGuard('read', 'ComplaintStatus'), pageBodyLimit, async (c) => {
  const body = await c.req.parseBody();
  const code = typeof body.code === 'string' ? body.code.trim().slice(0, 40) : '';
  const wait = limited(c, 'lookup');
  const title = text(c, 'status.title');
  if (wait)
    return renderPage(c, {
      title,
      titleText: true,
      status: 429,
      body: (v) => (
        <StatusForm v={v} code={code} error={text(c, 'complaint.errors.rateLimited', { seconds: wait })} />
      ),
    });
  try {
    const s = await complaintStatus(c.get('deps').db, code);
    return renderPage(c, {
      title,
      titleText: true,
      body: (v) => (
        <>
          <StatusResult v={v} s={s} />
          <StatusForm v={v} />
        </>
      ),
    });
  } catch (err) {
    if (err instanceof AppError && err.code === 'NOT_FOUND')
      return renderPage(c, {
        title,
        titleText: true,
        status: 404,
        body: (v) => <StatusForm v={v} code={code} error={text(c, 'status.notFound')} />,
      });
    throw err;
  }
});
