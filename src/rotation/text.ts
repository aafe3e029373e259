/**
 * Words for what the planner decided, from `templates/documents/rotation-plan.yaml`: a move's
 * reasons, a rule not kept, a slot. The plan stores codes and data; the text is made when shown,
 * in the reader's language.
 *
 * @example
 * const t = planText('zh-CN');
 * t.reason({ code: 'max-tenure', data: { post: 'P-REVIEW-SG', years: 5.9, limit: 5 } }) // '在P-REVIEW-SG连续任职5.9年，达到5年上限'
 */
import { type DocLocale, loadTemplate, type Template } from '../documents/index.ts';
import type { PlanReason, UnmetRule } from './types.ts';

export interface PlanText {
  t: Template;
  reason(r: PlanReason): string;
  unmet(u: UnmetRule): string;
  slot(s: { post: string; role: string } | null, postName?: (code: string) => string): string;
}

/** `postName` turns post codes in the texts into names (the code stays in brackets). */
export function planText(locale: DocLocale, postName?: (code: string) => string): PlanText {
  const t = loadTemplate('rotation-plan', locale);
  const named = (code: string) => {
    const n = postName?.(code);
    return n && n !== code ? `${n}（${code}）` : code;
  };
  const data = (d: Record<string, string | number>) =>
    typeof d.post === 'string' ? { ...d, post: named(d.post) } : d;
  const instead = (list: string) =>
    list
      .split(';')
      .filter(Boolean)
      .map((item) => {
        const at = item.indexOf(':');
        const rule = item.slice(0, at);
        const subject = item.slice(at + 1);
        return t.render(`insteadItem.${rule}`, {
          subject: rule.startsWith('coverage') ? named(subject) : subject,
        });
      })
      .join(locale === 'zh-CN' ? '、' : ', ');
  return {
    t,
    reason(r) {
      if (r.code === 'cover' && r.data.why === 'vacant') return t.render('reason.cover-vacant', data(r.data));
      return t.render(`reason.${r.code}`, data(r.data));
    },
    unmet(u) {
      const d = data(u.data);
      switch (u.rule) {
        case 'must-move':
        case 'max-tenure': {
          let why = t.render(`why.${d.why}`);
          if (d.instead)
            why +=
              (locale === 'zh-CN' ? '；' : '; ') +
              t.render('why.instead', { list: instead(String(d.instead)) });
          return t.render(`unmet.${u.rule}`, { ...d, why });
        }
        case 'coverage-A':
        case 'coverage-B': {
          if (d.kind === 'untrained') return t.render('unmet.coverage-untrained', d);
          let text = t.render('unmet.coverage-vacant', d);
          if (d.staff) text += t.render('unmet.coverage-suggest', d);
          return text;
        }
        default:
          return t.render(`unmet.${u.rule}`, d);
      }
    },
    slot(s, postName) {
      if (!s) return t.render('none');
      return t.render('slot', { post: (postName ?? named)(s.post), role: s.role });
    },
  };
}
