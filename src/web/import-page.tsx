/**
 * Loading an org document (the `org` contract, version 1) from the browser: upload a file or
 * paste the JSON. It goes through `importOrg` like the API and the CLI, so a bad document is
 * refused whole, and every problem is listed with its JSON path.
 *
 * @example
 * // POST /admin/import  multipart: file=@bureau.json, _csrf=...  -> counts per list, or the problems
 */
import type { Context } from 'hono';
import { Hono } from 'hono';
import { type ImportResult, importOrg } from '../org/service.ts';
import { AppError, type FieldProblem } from '../platform/errors.ts';
import { type AppEnv, actorOf } from '../platform/http.ts';
import { localDate } from '../platform/time.ts';
import { Csrf, FieldError } from './components.tsx';
import { pageGuard } from './guard.tsx';
import { translator } from './i18n.ts';
import { registerPage } from './registry.ts';
import { localeOf, renderPage } from './render.tsx';

export const importPage = registerPage({
  path: '/admin/import',
  navKey: 'nav.import',
  descKey: 'nav.desc.import',
  section: 'admin',
  can: ['import', 'Org'],
  order: 10,
});

/** The largest document the page accepts (the app's body limit for this path is set to match). */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024;

export const importPages = new Hono<AppEnv>();

interface Outcome {
  text?: string;
  /** Not a document at all (empty, not JSON): shown beside the input. */
  inputError?: string;
  problems?: FieldProblem[];
  result?: ImportResult;
  status?: 200 | 400;
}

const lists = [
  'bureau',
  'departments',
  'windows',
  'posts',
  'staff',
  'assignments',
  'absences',
  'items',
] as const;

function importForm(c: Context<AppEnv>, o: Outcome) {
  return renderPage(c, {
    title: 'import.title',
    status: o.status,
    body: (v) => (
      <>
        <p class="lead">{v.t('import.lead')}</p>
        {o.result ? (
          <section class="notice notice-ok" role="status">
            <p>{v.t('import.done')}</p>
            <table class="grid compact">
              <thead>
                <tr>
                  <th scope="col">{v.t('import.list')}</th>
                  <th scope="col" class="num">
                    {v.t('import.created')}
                  </th>
                  <th scope="col" class="num">
                    {v.t('import.updated')}
                  </th>
                  <th scope="col" class="num">
                    {v.t('import.unchanged')}
                  </th>
                  <th scope="col" class="num">
                    {v.t('import.deactivated')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {lists.map((l) => {
                  const n = o.result![l];
                  return (
                    <tr>
                      <td>{v.t(`import.lists.${l}`)}</td>
                      <td class="num">{n.created}</td>
                      <td class="num">{n.updated}</td>
                      <td class="num">{n.unchanged}</td>
                      <td class="num">{n.deactivated}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        ) : null}
        {o.problems ? (
          <section class="notice notice-error problems" role="alert">
            <p>{v.t('import.refused', { n: o.problems.length })}</p>
            <table class="grid compact">
              <thead>
                <tr>
                  <th scope="col">{v.t('import.path')}</th>
                  <th scope="col">{v.t('import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {o.problems.map((p) => (
                  <tr>
                    <td class="code">{p.path}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        <form method="post" action="/admin/import" enctype="multipart/form-data" class="form form-wide">
          <Csrf v={v} />
          <div class={o.inputError ? 'field has-error' : 'field'}>
            <label for="f-file">{v.t('import.file')}</label>
            <input
              id="f-file"
              name="file"
              type="file"
              accept=".json,application/json"
              aria-describedby="f-text-error"
            />
          </div>
          <div class={o.inputError ? 'field has-error' : 'field'}>
            <label for="f-text">{v.t('import.text')}</label>
            <textarea
              id="f-text"
              name="text"
              rows={14}
              spellcheck={false}
              placeholder='{ "version": 1, "departments": [ ... ] }'
              aria-invalid={o.inputError ? 'true' : undefined}
              aria-describedby={o.inputError ? 'f-text-error' : undefined}
            >
              {o.text ?? ''}
            </textarea>
            <FieldError id="f-text-error" error={o.inputError} />
          </div>
          <p class="hint">{v.t('import.hint')}</p>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary">
              {v.t('import.submit')}
            </button>
          </div>
        </form>
      </>
    ),
  });
}

importPages.get(importPage.path, pageGuard(importPage), (c) => importForm(c, {}));

importPages.post(importPage.path, pageGuard(importPage), async (c) => {
  const t = translator(localeOf(c));
  const body = await c.req.parseBody();
  const file = body.file;
  let text = typeof body.text === 'string' ? body.text : '';
  // A chosen file wins over pasted text; an empty file input arrives as an empty File.
  if (file instanceof File && file.size > 0) text = await file.text();
  // Echo pasted text back only when it is of a size a textarea can hold.
  const echo = text.length <= 200_000 ? text : '';
  if (!text.trim()) return importForm(c, { text: echo, inputError: t('import.error.empty'), status: 400 });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return importForm(c, {
      text: echo,
      inputError: t('import.error.json', { message: (e as Error).message }),
      status: 400,
    });
  }
  const { db, config } = c.get('deps');
  try {
    const result = await importOrg(db, doc, {
      actor: actorOf(c.get('principal')),
      today: localDate(new Date(), config.timeZone),
    });
    return importForm(c, { result });
  } catch (e) {
    if (e instanceof AppError && e.code === 'VALIDATION_FAILED') {
      return importForm(c, {
        text: echo,
        problems: e.errors ?? [{ path: '$', message: e.message }],
        status: 400,
      });
    }
    throw e;
  }
});
