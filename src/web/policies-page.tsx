/**
 * A read-only view of the policy files a bureau may change without code (`policies/**.yaml`):
 * the list, and one file's content as it is on disk. Editing stays with the files themselves,
 * under version control, where every change is reviewed.
 *
 * @example
 * // GET /admin/policies                      the list
 * // GET /admin/policies?file=roles.yaml      its content
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Hono } from 'hono';
import { policiesDir } from '../paths.ts';
import type { AppEnv } from '../platform/http.ts';
import { Empty } from './components.tsx';
import { notFoundPage, pageGuard } from './guard.tsx';
import { registerPage } from './registry.ts';
import { renderPage } from './render.tsx';

export const policiesPage = registerPage({
  path: '/admin/policies',
  navKey: 'nav.policies',
  descKey: 'nav.desc.policies',
  section: 'admin',
  can: ['read', 'Policy'],
  order: 40,
});

export const policyPages = new Hono<AppEnv>();

export interface PolicyFile {
  /** Path under policies/, with forward slashes: `calendar/2026.yaml`. */
  name: string;
  size: number;
  modified: Date;
}

/** Every YAML file under `dir`, sorted by path. */
export function policyFiles(dir = policiesDir): PolicyFile[] {
  const out: PolicyFile[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) {
        const st = statSync(full);
        out.push({ name: relative(dir, full).split(sep).join('/'), size: st.size, modified: st.mtime });
      }
    }
  };
  walk(dir);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

policyPages.get(policiesPage.path, pageGuard(policiesPage), (c) => {
  const files = policyFiles();
  const wanted = c.req.query('file');
  // Only a name from the listing is ever read: no path from the request reaches the file system.
  const chosen = wanted ? files.find((f) => f.name === wanted) : undefined;
  if (wanted && !chosen) return notFoundPage(c, wanted);
  const content = chosen ? readFileSync(join(policiesDir, ...chosen.name.split('/')), 'utf8') : null;
  return renderPage(c, {
    title: chosen ? 'policies.fileTitle' : 'policies.title',
    titleParams: chosen ? { name: chosen.name } : undefined,
    body: (v) => (
      <div class="split split-narrow">
        <section>
          <p class="hint">{v.t('policies.lead')}</p>
          {files.length === 0 ? (
            <Empty v={v} />
          ) : (
            <ul class="file-list">
              {files.map((f) => (
                <li>
                  <a
                    href={`${policiesPage.path}?file=${encodeURIComponent(f.name)}`}
                    class={f.name === chosen?.name ? 'file-link current' : 'file-link'}
                    aria-current={f.name === chosen?.name ? 'page' : undefined}
                  >
                    {f.name}
                  </a>
                  <span class="muted">
                    {v.t('policies.meta', {
                      kb: Math.max(1, Math.round(f.size / 1024)),
                      at: v.dateTime(f.modified),
                    })}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          {content === null ? (
            <p class="empty">{v.t('policies.choose')}</p>
          ) : (
            <pre class="source" tabindex={0}>
              <code>{content}</code>
            </pre>
          )}
        </section>
      </div>
    ),
  });
});
