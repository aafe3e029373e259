/**
 * Grading: the level of handling a fault earns under the policy, explained line by line. A pure
 * function of the policy and the facts, so the same input always gives the same level, the
 * policy tests (`policies/tests/misconduct-*.yaml`) can pin it, and a proposal can show why.
 *
 * The lines' deltas always add up to the level (0 when exempt), so the explanation cannot drift
 * from the result.
 *
 * @example
 * grade(policy, { faultType: 'late-completion', severity: 'serious', factors: ['intent'],
 *   exemptions: [], priorLevels: [{ decidedOn: '2025-09-01', level: 2 }], on: '2026-03-02' })
 * // { level: 5, lines: [
 * //   { kind: 'base', code: 'late-completion', text: '基础等级：超过承诺时限办结（情节严重）', delta: 3 },
 * //   { kind: 'factor', code: 'intent', text: '从重：故意违规', delta: 1 },
 * //   { kind: 'repeat', code: 'repeat', text: '12个月内再次发生（2025-09-01 已作 2 级处理）', delta: 1 } ] }
 */
import type { FieldProblem } from '../platform/errors.ts';
import type { MisconductPolicy, Responsibility } from './policy.ts';

export interface PriorLevel {
  decidedOn: string;
  level: number | 'exempt';
}

export interface GradeInput {
  faultType: string;
  /** Severity code (一般/严重/特别严重); default the policy's first (general). */
  severity?: string;
  factors?: readonly string[];
  exemptions?: readonly string[];
  /** The person's earlier decided matters, for the repeat rule. */
  priorLevels?: readonly PriorLevel[];
  /** The date the grading speaks for (YYYY-MM-DD): the repeat window ends here. */
  on: string;
  /** The person's share of responsibility; default handler (直接责任, no change). */
  responsibility?: Responsibility;
  locale?: 'zh-CN' | 'en';
}

export type LineKind = 'base' | 'factor' | 'repeat' | 'floor' | 'cap' | 'exemption' | 'responsibility';

export interface GradeLine {
  kind: LineKind;
  /** The policy code the line comes from (fault type, factor, exemption, responsibility). */
  code: string;
  text: string;
  delta: number;
}

export interface GradeResult {
  level: number | 'exempt';
  lines: GradeLine[];
}

/** The input names codes the policy does not know; `problems` names each field. */
export class GradeError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    this.name = 'GradeError';
  }
}

/** `date` moved by whole months, clamped to the month's end (2026-03-31 - 1 month = 2026-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Checks every code of the input against the policy; returns the problems (empty when fine). */
export function checkGradeInput(policy: MisconductPolicy, input: GradeInput, prefix = ''): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const at = (p: string) => (prefix ? `${prefix}.${p}` : p);
  if (!policy.faultTypes.some((f) => f.code === input.faultType))
    problems.push({
      path: at('faultType'),
      message: `unknown fault type ${JSON.stringify(input.faultType)}`,
    });
  if (input.severity !== undefined && !policy.severities.some((s) => s.code === input.severity))
    problems.push({ path: at('severity'), message: `unknown severity ${JSON.stringify(input.severity)}` });
  const listCheck = (list: readonly string[] | undefined, known: { code: string }[], field: string) => {
    const seen = new Set<string>();
    (list ?? []).forEach((c, i) => {
      if (!known.some((k) => k.code === c))
        problems.push({
          path: at(`${field}[${i}]`),
          message: `unknown ${field.replace(/s$/, '')} ${JSON.stringify(c)}`,
        });
      else if (seen.has(c)) problems.push({ path: at(`${field}[${i}]`), message: `${c} given twice` });
      seen.add(c);
    });
  };
  listCheck(input.factors, policy.factors, 'factors');
  listCheck(input.exemptions, policy.exemptions, 'exemptions');
  if (
    input.responsibility !== undefined &&
    !policy.responsibility.some((r) => r.code === input.responsibility)
  )
    problems.push({
      path: at('responsibility'),
      message: `unknown responsibility ${JSON.stringify(input.responsibility)}`,
    });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.on))
    problems.push({ path: at('on'), message: 'not a date (YYYY-MM-DD)' });
  return problems;
}

/**
 * Grades one person's fault. Throws GradeError when a code is unknown.
 */
export function grade(policy: MisconductPolicy, input: GradeInput): GradeResult {
  const problems = checkGradeInput(policy, input);
  if (problems.length) throw new GradeError(problems);
  const zh = (input.locale ?? 'zh-CN') === 'zh-CN';
  const loc = input.locale ?? 'zh-CN';
  const max = policy.levels.length;
  const fault = policy.faultTypes.find((f) => f.code === input.faultType)!;
  const severity = policy.severities.find((s) => s.code === (input.severity ?? policy.severities[0].code))!;
  // A fault type without a level for this severity falls back to its most severe lower one.
  const order = policy.severities.map((s) => s.code);
  let base = fault.base[severity.code];
  for (let i = order.indexOf(severity.code); base === undefined && i >= 0; i--) base = fault.base[order[i]];
  const lines: GradeLine[] = [
    {
      kind: 'base',
      code: fault.code,
      text: zh
        ? `基础等级：${fault.name[loc]}（${severity.name[loc]}）`
        : `Base level: ${fault.name[loc]} (${severity.name[loc]})`,
      delta: base!,
    },
  ];
  let level = base!;

  const exemption = policy.exemptions.find((e) => input.exemptions?.includes(e.code));
  if (exemption) {
    lines.push({
      kind: 'exemption',
      code: exemption.code,
      text: zh ? `免予处理：${exemption.name[loc]}` : `Exempt: ${exemption.name[loc]}`,
      delta: -level,
    });
    return { level: 'exempt', lines };
  }

  // Factors in policy order, so the explanation reads the same whatever order they were given.
  for (const f of policy.factors) {
    if (!input.factors?.includes(f.code)) continue;
    const label = f.kind === 'aggravating' ? (zh ? '从重' : 'Aggravating') : zh ? '从轻' : 'Mitigating';
    lines.push({
      kind: 'factor',
      code: f.code,
      text: `${label}${zh ? '：' : ': '}${f.name[loc]}`,
      delta: f.delta,
    });
    level += f.delta;
  }

  const since = addMonths(input.on, -policy.repeat.withinMonths);
  const prior = (input.priorLevels ?? [])
    .filter((p) => p.level !== 'exempt' && p.level >= 1 && p.decidedOn > since && p.decidedOn <= input.on)
    .sort((a, b) => (a.decidedOn < b.decidedOn ? 1 : -1))[0];
  if (prior && policy.repeat.delta > 0) {
    lines.push({
      kind: 'repeat',
      code: 'repeat',
      text: zh
        ? `${policy.repeat.withinMonths}个月内再次发生（${prior.decidedOn} 已作 ${prior.level} 级处理）`
        : `Repeat within ${policy.repeat.withinMonths} months (level ${prior.level} decided on ${prior.decidedOn})`,
      delta: policy.repeat.delta,
    });
    level += policy.repeat.delta;
  }

  if (level < policy.floor) {
    lines.push({
      kind: 'floor',
      code: 'floor',
      text: zh ? `处理等级不低于 ${policy.floor} 级` : `Not below level ${policy.floor}`,
      delta: policy.floor - level,
    });
    level = policy.floor;
  }
  if (level > max) {
    lines.push({
      kind: 'cap',
      code: 'cap',
      text: zh ? `处理等级最高为 ${max} 级` : `Capped at level ${max}`,
      delta: max - level,
    });
    level = max;
  }

  const share = policy.responsibility.find((r) => r.code === (input.responsibility ?? 'handler'));
  if (share && share.delta !== 0) {
    const after = Math.min(max, Math.max(0, level + share.delta));
    lines.push({
      kind: 'responsibility',
      code: share.code,
      text: zh ? `责任划分：${share.name[loc]}` : `Responsibility: ${share.name[loc]}`,
      delta: after - level,
    });
    level = after;
  }
  return { level, lines };
}
