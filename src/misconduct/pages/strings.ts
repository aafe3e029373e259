/**
 * The misconduct pages' own strings (`templates/misconduct/<locale>.yaml`), falling back to the
 * shell's (`templates/locales`). Kept apart so the tracker's wording is edited in one place.
 *
 * @example
 * const m = pageText(v);
 * m('status.states.handled') // '已作出处理'
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { templatesDir } from '../../paths.ts';
import { flatten, type Locale, type Params } from '../../web/i18n.ts';
import type { View } from '../../web/render.tsx';

export const misconductLocaleFile = (locale: Locale) => join(templatesDir, 'misconduct', `${locale}.yaml`);

const cache = new Map<Locale, { mtimeMs: number; strings: Map<string, string> }>();

export function misconductStrings(locale: Locale): Map<string, string> {
  const file = misconductLocaleFile(locale);
  const mtimeMs = statSync(file).mtimeMs;
  const hit = cache.get(locale);
  if (hit && hit.mtimeMs === mtimeMs) return hit.strings;
  const strings = flatten(parse(readFileSync(file, 'utf8')));
  cache.set(locale, { mtimeMs, strings });
  return strings;
}

export type M = (key: string, params?: Params) => string;

/** A translator over the misconduct strings, then the shell's. */
export function pageText(v: Pick<View, 'locale' | 't'>): M {
  const s = misconductStrings(v.locale);
  return (key, params) => {
    const text = s.get(key);
    if (text === undefined) return v.t(key, params);
    return params
      ? text.replace(/\{(\w+)\}/g, (m, n: string) => (n in params ? String(params[n]) : m))
      : text;
  };
}
