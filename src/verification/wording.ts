/**
 * Readable findings: the problems a check's SQL found, worded from
 * `templates/verification/findings.yaml` in Chinese or English. Runs over failing cases only.
 *
 * @example
 * describeFailure('timely', { problems: ['committed'], staff: ['S010'],
 *   params: { completedOn: '2026-03-12', due: '2026-03-10', days: 2 } }, 'zh-CN')
 * // '办结于2026-03-12, 超出承诺时限2个工作日 (承诺期限 2026-03-10)'
 */
import { join } from 'node:path';
import { actionNames } from '../cases/index.ts';
import { type DocLocale, loadTemplate, type Template } from '../documents/index.ts';
import { templatesDir } from '../paths.ts';
import type { RawFailure } from './evaluate.ts';
import type { CheckName } from './policy.ts';

export const verificationTemplatesDir = join(templatesDir, 'verification');

export type ResultName = 'pass' | 'fail' | 'not_applicable';

const held = new Map<DocLocale, { at: number; t: Template }>();

/**
 * The findings template of a locale. A run words thousands of failures: the file is looked at
 * (for edits) at most once a second, not once a failure.
 */
export function findingsTemplate(locale: DocLocale): Template {
  const now = Date.now();
  const hit = held.get(locale);
  if (hit && now - hit.at < 1000) return hit.t;
  const t = loadTemplate('findings', locale, { dir: verificationTemplatesDir });
  held.set(locale, { at: now, t });
  return t;
}

const str = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
const list = (v: unknown, t: Template) =>
  Array.isArray(v) && v.length ? v.map(String).join(t.render('listSep')) : '-';

/** An action's name for a reader (受理 / accept). */
export const actionLabel = (action: string, locale: DocLocale) =>
  locale === 'zh-CN'
    ? ((actionNames as Record<string, string>)[action] ?? action)
    : action.replace(/_/g, ' ');

/** What the separation rules say, by id (from the run's context), for the wording of a breach. */
export type RuleMessages = Record<string, string>;

/** The detail of one failure in one locale. */
export function describeFailure(
  check: CheckName,
  f: RawFailure,
  locale: DocLocale,
  rules: RuleMessages = {},
): string {
  const t = findingsTemplate(locale);
  const p = f.params;
  const sep = t.render('sep');
  const key = (problem: string) => `problems.${check}.${problem}`;
  switch (check) {
    case 'refusal-filed': {
      const returns = (p.returns as Record<string, unknown>[] | null) ?? [];
      return returns
        .map((r) =>
          t.render(key('return'), {
            date: str(r.d),
            stage: t.has(key(`stage.${r.stage}`)) ? t.render(key(`stage.${r.stage}`)) : str(r.stage),
            problems: (r.problems as string[])
              .map((c) => t.render(key(c), { filedOn: str(r.filedOn), within: str(p.within) }))
              .join(t.render('listSep')),
          }),
        )
        .join(sep);
    }
    case 'authorized': {
      const events = (p.events as Record<string, unknown>[] | null) ?? [];
      return events
        .map((e) =>
          t.render(key('denied'), {
            seq: str(e.seq),
            action: actionLabel(String(e.action), locale),
            actor: str(e.actor),
            date: str(e.d),
            reason: str(e.reason),
          }),
        )
        .join(sep);
    }
    case 'separation': {
      const breaches = (p.breaches as Record<string, unknown>[] | null) ?? [];
      return breaches
        .map((b) =>
          t.render(key('breach'), {
            actor: str(b.actor),
            conflict: actionLabel(String(b.conflict), locale),
            conflictSeq: str(b.conflictSeq),
            action: actionLabel(String(b.action), locale),
            seq: str(b.seq),
            message: rules[String(b.rule)] ?? str(b.rule),
          }),
        )
        .join(sep);
    }
    case 'seal': {
      const seals = (p.seals as Record<string, unknown>[] | null) ?? [];
      return t.render(key('special-not-allowed'), {
        itemName: str(p.itemName),
        item: str(p.item),
        seqs: seals.map((s) => String(s.seq)).join(t.render('listSep')),
        actors: [...new Set(seals.map((s) => String(s.actor)))].join(t.render('listSep')),
      });
    }
    case 'extension': {
      const parts = ((p.extensions as Record<string, unknown>[] | null) ?? []).map((e) =>
        t.render(key('each'), {
          date: str(e.d),
          days: str(e.days),
          problems: (e.problems as string[])
            .map((c) => t.render(key(c), { max: str(p.max), approvedBy: str(e.approvedBy) }))
            .join(t.render('listSep')),
        }),
      );
      if (Number(p.total) > Number(p.max))
        parts.push(t.render(key('total'), { total: str(p.total), max: str(p.max) }));
      return parts.join(sep);
    }
    default: {
      const data: Record<string, string> = {};
      for (const [k, v] of Object.entries(p)) data[k] = Array.isArray(v) ? list(v, t) : str(v);
      return f.problems.map((c) => t.render(key(c), data)).join(sep);
    }
  }
}

/** The detail shown for a pass or a not-applicable result. */
export function describeResult(
  check: CheckName,
  result: Exclude<ResultName, 'fail'>,
  locale: DocLocale,
): string {
  const t = findingsTemplate(locale);
  return t.render(result === 'pass' ? `pass.${check}` : `na.${check}`);
}

/** 符合 / 不符合 / 不适用. */
export const resultLabel = (result: ResultName, locale: DocLocale) =>
  findingsTemplate(locale).render(`results.${result}`);
