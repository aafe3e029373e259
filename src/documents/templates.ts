/**
 * Document wording, kept in `templates/documents/*.yaml` so a bureau can reword a ruling without
 * touching code. A template file maps keys to one text per locale; texts hold `{placeholders}`
 * that the module filling the document supplies:
 *
 * ```yaml
 * # templates/documents/ruling.yaml
 * title:
 *   zh-CN: 关于{caseNo}号案件的核查意见书
 *   en: Verification ruling on case {caseNo}
 * findings:
 *   intro:
 *     zh-CN: 经核查，{clerk}同志办理的{item}事项存在以下问题：
 *     en: "The check found these problems in {item}, handled by {clerk}:"
 * ```
 *
 * Keys may nest; they are addressed with dots (`findings.intro`). Write `{{` and `}}` for literal
 * braces. Every error names the file and the key, so whoever edits the YAML sees what to fix.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseDocument } from 'yaml';
import { templatesDir } from '../paths.ts';
import type { DocLocale } from './model.ts';

export const TEMPLATE_LOCALES: readonly DocLocale[] = ['zh-CN', 'en'];

/** A template text or file the code asked for is missing, or a placeholder has no value. */
export class TemplateError extends Error {
  constructor(
    /** The template file, relative to the project (templates/documents/ruling.yaml). */
    readonly file: string,
    /** The dotted key at fault, when there is one. */
    readonly key: string | undefined,
    message: string,
  ) {
    super(`${file}${key ? ` [${key}]` : ''}: ${message}`);
    this.name = 'TemplateError';
  }
}

/** One text of a template in one locale, knowing where it came from for error messages. */
export interface TemplateText {
  file: string;
  key: string;
  locale: DocLocale;
  text: string;
}

export type TemplateData = Readonly<Record<string, string | number | null | undefined>>;

/** The texts of one template file in one locale. */
export interface Template {
  name: string;
  locale: DocLocale;
  file: string;
  /** Every dotted key of the file that has a text. */
  keys(): string[];
  has(key: string): boolean;
  /** The raw text of `key`; throws a TemplateError naming file and key when it is not there. */
  get(key: string): TemplateText;
  /** `renderText(get(key), data)`. */
  render(key: string, data?: TemplateData): string;
}

export interface LoadOptions {
  /** The folder holding the template files; default `templates/documents` of the project. */
  dir?: string;
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const PLACEHOLDER = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;
const PLACEHOLDER_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

interface ParsedFile {
  mtimeMs: number;
  /** dotted key -> locale -> text */
  texts: Map<string, Partial<Record<DocLocale, string>>>;
}

/**
 * Parsed files, checked against the file's mtime: a batch of a thousand rulings reads the YAML
 * once, and an edited template is picked up without a restart.
 */
const cache = new Map<string, ParsedFile>();

/**
 * Loads `templates/documents/<name>.yaml` for one locale.
 *
 * @example
 * const t = loadTemplate('sample', 'zh-CN');            // templates/documents/sample.yaml
 * t.render('title', { caseNo: 'QZ-2026-000123' })       // '关于QZ-2026-000123号案件办理情况的核查意见书'
 * renderText(t.get('body.remedy'), { days: 5 })         // '请于收到本意见书之日起5个工作日内提交书面说明。'
 * t.render('title', {})  // TemplateError: templates/documents/sample.yaml [title]: no value for placeholder {caseNo}
 */
export function loadTemplate(name: string, locale: DocLocale, options: LoadOptions = {}): Template {
  const dir = options.dir ?? join(templatesDir, 'documents');
  const path = join(dir, `${name}.yaml`);
  const file = displayPath(path);
  if (!NAME.test(name)) throw new TemplateError(file, undefined, `bad template name ${JSON.stringify(name)}`);
  if (!TEMPLATE_LOCALES.includes(locale)) {
    throw new TemplateError(
      file,
      undefined,
      `unknown locale ${JSON.stringify(locale)} (use ${TEMPLATE_LOCALES.join(', ')})`,
    );
  }
  const { texts } = readTemplateFile(path, file);
  const get = (key: string): TemplateText => {
    const entry = texts.get(key);
    if (!entry) {
      const near = [...texts.keys()].filter((k) => k.startsWith(`${key}.`));
      throw new TemplateError(
        file,
        key,
        near.length ? `is a group, not a text (it holds ${near.join(', ')})` : 'no such key in the template',
      );
    }
    const text = entry[locale];
    if (text === undefined) throw new TemplateError(file, key, `has no ${locale} text`);
    return { file, key, locale, text };
  };
  return {
    name,
    locale,
    file,
    keys: () => [...texts.entries()].filter(([, e]) => e[locale] !== undefined).map(([k]) => k),
    has: (key) => texts.get(key)?.[locale] !== undefined,
    get,
    render: (key, data = {}) => renderText(get(key), data),
  };
}

/**
 * Fills the `{placeholders}` of a template text. A placeholder without a value (absent, null or
 * undefined) is an error naming the file, the key and the placeholder; values the text does not
 * use are ignored, so one data object can serve every text of a document. A plain string works
 * too (its errors then name "(inline)").
 *
 * @example
 * renderText(loadTemplate('sample', 'zh-CN').get('headings.facts'), {}) // '核查情况'
 * renderText('{n} 件', { n: 3 })                                       // '3 件'
 */
export function renderText(template: TemplateText | string, data: TemplateData): string {
  const t: Pick<TemplateText, 'file' | 'key' | 'text'> =
    typeof template === 'string' ? { file: '(inline)', key: '', text: template } : template;
  return t.text.replace(PLACEHOLDER, (match, name: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    if (name === undefined) {
      throw new TemplateError(
        t.file,
        t.key || undefined,
        `unmatched "${match}" (write {{ or }} for a literal brace)`,
      );
    }
    const key = name.trim();
    if (!PLACEHOLDER_NAME.test(key))
      throw new TemplateError(t.file, t.key || undefined, `bad placeholder {${name}}`);
    const value = data[key];
    if (value === undefined || value === null) {
      throw new TemplateError(t.file, t.key || undefined, `no value for placeholder {${key}}`);
    }
    return String(value);
  });
}

/** The placeholder names a text uses, in order of first use (for checks and editors). */
export function placeholdersOf(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) {
    if (m[1] !== undefined && !names.includes(m[1].trim())) names.push(m[1].trim());
  }
  return names;
}

/**
 * Checks a whole template file: every key has a text in every locale and the same placeholders in
 * each. Returns the problems (empty when fine); a policy test runs it over every file.
 */
export function checkTemplate(name: string, options: LoadOptions = {}): string[] {
  const dir = options.dir ?? join(templatesDir, 'documents');
  const path = join(dir, `${name}.yaml`);
  const file = displayPath(path);
  const problems: string[] = [];
  for (const [key, entry] of readTemplateFile(path, file).texts) {
    const present = TEMPLATE_LOCALES.filter((l) => entry[l] !== undefined);
    for (const l of TEMPLATE_LOCALES)
      if (entry[l] === undefined) problems.push(`${file} [${key}]: has no ${l} text`);
    for (const l of present) {
      try {
        // An unmatched brace is reported by rendering with every placeholder given.
        const names = placeholdersOf(entry[l]!);
        renderText({ file, key, locale: l, text: entry[l]! }, Object.fromEntries(names.map((n) => [n, ''])));
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    if (present.length > 1) {
      const sets = present.map((l) => [...placeholdersOf(entry[l]!)].sort().join(','));
      if (new Set(sets).size > 1) {
        problems.push(
          `${file} [${key}]: placeholders differ between locales (${present.map((l, i) => `${l}: {${sets[i]}}`).join('; ')})`,
        );
      }
    }
  }
  return problems;
}

function readTemplateFile(path: string, file: string): ParsedFile {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    throw new TemplateError(file, undefined, 'no such template file');
  }
  const hit = cache.get(path);
  if (hit && hit.mtimeMs === mtimeMs) return hit;

  const doc = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: false });
  if (doc.errors.length) throw new TemplateError(file, undefined, `not valid YAML: ${doc.errors[0].message}`);
  const root = doc.toJS() as unknown;
  if (!isObject(root)) throw new TemplateError(file, undefined, 'must be a mapping of keys to texts');
  const texts = new Map<string, Partial<Record<DocLocale, string>>>();
  const walk = (node: Record<string, unknown>, prefix: string) => {
    for (const [k, value] of Object.entries(node)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (!isObject(value)) {
        throw new TemplateError(
          file,
          key,
          'must map each locale to a text (zh-CN: ..., en: ...) or hold more keys',
        );
      }
      const entries = Object.entries(value);
      const localeKeys = entries.filter(([l]) => (TEMPLATE_LOCALES as readonly string[]).includes(l));
      if (localeKeys.length === 0) {
        walk(value, key);
        continue;
      }
      if (localeKeys.length !== entries.length) {
        const odd = entries
          .filter(([l]) => !(TEMPLATE_LOCALES as readonly string[]).includes(l))
          .map(([l]) => l);
        throw new TemplateError(file, key, `mixes locales with other keys (${odd.join(', ')})`);
      }
      const entry: Partial<Record<DocLocale, string>> = {};
      for (const [l, text] of localeKeys) {
        if (typeof text !== 'string' && typeof text !== 'number') {
          throw new TemplateError(file, key, `the ${l} text must be a string`);
        }
        // Block scalars (|) end with a newline the author did not mean as text.
        entry[l as DocLocale] = String(text).replace(/\n+$/, '');
      }
      texts.set(key, entry);
    }
  };
  walk(root, '');
  const parsed = { mtimeMs, texts };
  cache.set(path, parsed);
  return parsed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function displayPath(path: string) {
  const rel = relative(join(templatesDir, '..'), path);
  return rel.startsWith('..') ? path : rel;
}
