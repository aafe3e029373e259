/**
 * The scope (授权清单) for people: its wording (`templates/authority/<locale>.yaml`), filters, the
 * conditions and holdings in words, and the printable document (PDF through src/documents). The
 * page "我的权限" and `GET /api/authority/scope.pdf` both use it, so the print shows what the page
 * shows.
 *
 * @example
 * const m = scopeText('zh-CN');
 * const rows = filterScope(scope.rows, { q: '施工', action: 'approve' });
 * const { pdf } = await renderPdf(scopeDocument(scope, { organ: '泉州市建设局', locale: 'zh-CN', filters }));
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Block, DocLocale, OfficialDocument } from '../documents/index.ts';
import { templatesDir } from '../paths.ts';
import type { Holding, Scope, ScopeRow } from './engine.ts';
import type { When } from './policy.ts';

export type ScopeText = (key: string, params?: Record<string, string | number>) => string;

/** `{ a: { b: 'x' } }` as `a.b -> x`. */
function flatten(tree: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (tree && typeof tree === 'object') {
    for (const [k, v] of Object.entries(tree)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (tree !== undefined && tree !== null) out.set(prefix, String(tree));
  return out;
}

const cache = new Map<DocLocale, { mtimeMs: number; strings: Map<string, string> }>();

/** The scope's wording in one language; a missing key shows as the key itself. */
export function scopeText(locale: DocLocale): ScopeText {
  const file = join(templatesDir, 'authority', `${locale}.yaml`);
  const mtimeMs = statSync(file).mtimeMs;
  let hit = cache.get(locale);
  if (!hit || hit.mtimeMs !== mtimeMs) {
    hit = { mtimeMs, strings: flatten(parse(readFileSync(file, 'utf8'))) };
    cache.set(locale, hit);
  }
  const strings = hit.strings;
  return (key, params) => {
    const text = strings.get(key) ?? key;
    return params
      ? text.replace(/\{([\w-]+)\}/g, (m, n: string) => (n in params ? String(params[n]) : m))
      : text;
  };
}

export interface ScopeFilters {
  /** Part of an item's code or name. */
  q?: string;
  action?: string;
  via?: 'own' | 'acting-for';
}

export function filterScope(rows: ScopeRow[], f: ScopeFilters): ScopeRow[] {
  const q = f.q?.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!q || r.item.toLowerCase().includes(q) || r.itemName.toLowerCase().includes(q)) &&
      (!f.action || r.action === f.action) &&
      (!f.via || r.via === f.via),
  );
}

/** A grant's case conditions in words, or the "any case" text. */
export function conditionsText(m: ScopeText, when: When): string {
  const list = (group: string, values: readonly string[]) => values.map((v) => m(`${group}.${v}`)).join('、');
  const parts: string[] = [];
  if (when.route) parts.push(m('conditions.route', { values: list('routes', when.route) }));
  if (when.channel) parts.push(m('conditions.channel', { values: list('channels', when.channel) }));
  if (when.projectKey !== undefined)
    parts.push(m(when.projectKey ? 'conditions.keyProject' : 'conditions.notKeyProject'));
  if (when.stage) parts.push(m('conditions.stage', { values: list('stages', when.stage) }));
  if (when.seal) parts.push(m('conditions.seal', { values: list('seals', when.seal) }));
  return parts.length ? parts.join('；') : m('anyCase');
}

export function periodText(m: ScopeText, from: string | null, to: string | null): string {
  if (!from && !to) return m('open');
  if (!to) return m('holdings.since', { from: from ?? '' });
  return m('holdings.period', { from: from ?? '…', to });
}

export function holdingText(m: ScopeText, h: Holding, postName: (code: string) => string = (c) => c): string {
  if (h.post === 'bureau.head') return m('holdings.head');
  const post = `${postName(h.post)}（${h.post}）`;
  if (h.via === 'acting-for')
    return m('holdings.acting', {
      post,
      actingFor: h.actingFor ?? '',
      from: h.from ?? '',
      to: h.to ?? '',
      reason: h.absence?.reason ?? '',
    });
  return `${m('holdings.own', { post })}，${periodText(m, h.from, h.to)}`;
}

export function viaText(m: ScopeText, r: Pick<ScopeRow, 'via' | 'actingFor'>): string {
  return m(`via.${r.via}`, { actingFor: r.actingFor ?? '' });
}

/** Rows of one item held the same way under the same grant, with their actions together. */
function groupRows(rows: ScopeRow[]): { row: ScopeRow; actions: string[] }[] {
  const groups = new Map<string, { row: ScopeRow; actions: string[] }>();
  for (const r of rows) {
    const key = `${r.item}|${r.via}|${r.post}|${r.actingFor ?? ''}|${r.rule.file}|${r.rule.grant}|${r.from}|${r.to}`;
    const g = groups.get(key);
    if (g) g.actions.push(r.action);
    else groups.set(key, { row: r, actions: [r.action] });
  }
  return [...groups.values()];
}

/** The scope as an official document (工作人员授权清单) for the PDF renderer. */
export function scopeDocument(
  scope: Scope,
  opts: { organ: string; locale: DocLocale; filters: ScopeFilters; postName?: (code: string) => string },
): OfficialDocument {
  const m = scopeText(opts.locale);
  const rows = filterScope(scope.rows, opts.filters);
  const filters = [
    opts.filters.q ? `${m('filters.q')}: ${opts.filters.q}` : null,
    opts.filters.action ? `${m('filters.action')}: ${m(`actions.${opts.filters.action}`)}` : null,
    opts.filters.via ? `${m('filters.via')}: ${m(`via.${opts.filters.via}`, { actingFor: '' })}` : null,
  ].filter((x): x is string => x !== null);
  const facts: [string, string][] = [
    [m('pdf.staff'), `${scope.name}（${scope.staff}）`],
    [m('pdf.date'), scope.date],
    [m('pdf.status'), m(`status.${scope.status}`)],
    [
      m('pdf.posts'),
      scope.holdings.length
        ? scope.holdings.map((h) => holdingText(m, h, opts.postName)).join('；')
        : m('holdings.none'),
    ],
    [m('pdf.policyVersion'), scope.policyVersion.slice(0, 16)],
  ];
  if (filters.length) facts.push([m('pdf.filtered'), filters.join('；')]);
  const blocks: Block[] = [
    { kind: 'keyValue', rows: facts },
    ...scope.reasons.map((text) => ({ kind: 'paragraph' as const, text })),
    { kind: 'heading', level: 1, text: `${m('pdf.heading')}（${m('count', { n: rows.length })}）` },
  ];
  if (rows.length)
    blocks.push({
      kind: 'table',
      columns: [
        { title: m('columns.item'), width: 3 },
        { title: m('columns.action'), width: 3 },
        { title: m('columns.via'), width: 1.8 },
        { title: m('columns.rule'), width: 2.2 },
        { title: m('columns.conditions'), width: 2.4 },
        { title: m('columns.period'), width: 1.6 },
      ],
      // One line per item and grant, its steps together: the print stays a few pages long.
      rows: groupRows(rows).map((g) => [
        `${g.row.itemName}（${g.row.item}）`,
        g.actions.map((a) => m(`actions.${a}`)).join('、'),
        `${viaText(m, g.row)} ${g.row.post}`,
        `${g.row.rule.file} · ${g.row.rule.grant}`,
        conditionsText(m, g.row.when),
        periodText(m, g.row.from, g.row.to),
      ]),
    });
  else blocks.push({ kind: 'paragraph', text: m('none') });
  if (scope.separation.length) {
    blocks.push({ kind: 'heading', level: 1, text: m('separation.heading') });
    blocks.push({ kind: 'paragraph', text: m('separation.intro') });
    for (const s of scope.separation) blocks.push({ kind: 'paragraph', text: `${s.id}：${s.message}` });
  }
  return {
    organ: opts.organ,
    title: m('pdf.title'),
    date: scope.date,
    locale: opts.locale,
    blocks,
    note: m('pdf.note'),
  };
}
