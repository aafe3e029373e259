/**
 * A plain HTML rendering of the OpenAPI document, served by neikong itself: the machines it runs
 * on are often on closed networks, so no Swagger UI from a CDN.
 */
import { html, raw } from 'hono/html';

export function docsPage(doc: any) {
  const ops: { method: string; path: string; op: any }[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(item))
      ops.push({ method: method.toUpperCase(), path, op });
  }
  ops.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  const schema = (s: unknown) => (s ? JSON.stringify(s, null, 2) : '');
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>neikong API</title>
<link rel="stylesheet" href="/assets/app.css"></head>
<body class="docs"><main>
<h1>neikong API</h1>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.0). Errors are
<code>application/problem+json</code> with a <code>code</code> and an <code>errors</code> list of fields at fault.</p>
${ops.map(
  ({ method, path, op }) => html`<section class="op"><h2><code>${method} ${path}</code></h2>
<p>${op.summary ?? ''} ${op.tags ? html`<small>[${op.tags.join(', ')}]</small>` : ''}</p>
${op.requestBody ? html`<details><summary>request body</summary><pre>${schema(op.requestBody.content?.['application/json']?.schema)}</pre></details>` : ''}
${raw(
  Object.entries<any>(op.responses ?? {})
    .map(([code, r]) => `<p><b>${code}</b> ${escapeHtml(r.description ?? '')}</p>`)
    .join(''),
)}
</section>`,
)}
</main></body></html>`;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
