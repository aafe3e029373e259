/**
 * `neikong rotation plan`: runs the planner on the organisation in the database and prints the
 * plan (a table with reasons, or JSON). It stores nothing unless `--save` is given (then a draft,
 * drafted by `cli`, for a leader to approve on the HR page).
 *
 * @example
 * neikong rotation plan --date 2027-01-01 --rounds 3
 * neikong rotation plan --date 2027-01-01 --format json --locale en
 */
import { parseArgs } from 'node:util';
import type { DocLocale } from '../documents/index.ts';
import { listPosts } from '../org/service.ts';
import { AppError } from '../platform/errors.ts';
import type { Deps } from '../platform/http.ts';
import { computePlan, draftPlan, type PlanParams } from './service.ts';
import { planText } from './text.ts';
import type { PlanOutput } from './types.ts';

export const rotationUsage = `  neikong rotation plan --date D [--rounds N] [--format table|json] [--locale zh-CN|en] [--save]
                                     plan job rotation (轮岗) from the organisation; --save stores a draft
`;

export const rotationCommands: Record<string, (deps: Deps, args: string[]) => Promise<number>> = {
  'rotation plan': async (deps, args) => {
    const { values } = parseArgs({
      args,
      options: {
        date: { type: 'string' },
        rounds: { type: 'string', default: '1' },
        format: { type: 'string', default: 'table' },
        locale: { type: 'string', default: 'zh-CN' },
        save: { type: 'boolean', default: false },
      },
    });
    const problems: { path: string; message: string }[] = [];
    if (!values.date || !/^\d{4}-\d{2}-\d{2}$/.test(values.date))
      problems.push({ path: '--date', message: 'give the planning date as YYYY-MM-DD' });
    const rounds = Number(values.rounds);
    if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10)
      problems.push({ path: '--rounds', message: 'a whole number from 1 to 10' });
    if (values.format !== 'table' && values.format !== 'json')
      problems.push({ path: '--format', message: 'table or json' });
    if (values.locale !== 'zh-CN' && values.locale !== 'en')
      problems.push({ path: '--locale', message: 'zh-CN or en' });
    if (problems.length) throw AppError.validation(problems, 'bad arguments');
    const params: PlanParams = { date: values.date!, rounds };
    let result: PlanOutput;
    let number: string | null = null;
    const progress = (p: { phase: string; round: number; rounds: number; group: number; groups: number }) =>
      process.stderr.write(`\r${p.phase} round ${p.round}/${p.rounds} group ${p.group}/${p.groups}   `);
    if (values.save) {
      const plan = await draftPlan(deps.db, params, { actor: 'cli', onProgress: progress });
      result = plan.result;
      number = plan.number;
    } else {
      result = (await computePlan(deps.db, params, { onProgress: progress })).result;
    }
    process.stderr.write('\n');
    if (values.format === 'json') {
      process.stdout.write(`${JSON.stringify(number ? { number, ...result } : result, null, 2)}\n`);
      return 0;
    }
    const names = new Map((await listPosts(deps.db)).map((p) => [p.code, p.name]));
    process.stdout.write(planTable(result, values.locale as DocLocale, (c) => names.get(c) ?? c, number));
    return 0;
  },
};

/** The plan as plain text: moves with reasons, training, rules not kept, score and solver. */
export function planTable(
  result: PlanOutput,
  locale: DocLocale,
  postName: (code: string) => string,
  number: string | null,
): string {
  const text = planText(locale, postName);
  const lines: string[] = [];
  if (number) lines.push(number);
  for (const r of result.rounds) {
    lines.push(`== ${text.t.render('columns.round')} ${r.index}  ${r.effectiveDate}`);
    for (const m of r.moves) {
      const slot = (s: typeof m.from) => (s ? `${s.post}/${s.role}` : '-');
      lines.push(`${m.staff} ${m.staffName}  ${slot(m.from)} -> ${slot(m.to)}${m.required ? '  *' : ''}`);
      for (const x of m.reasons) lines.push(`    ${text.reason(x)}`);
      if (m.training) {
        lines.push(
          `    ${text.t.render('columns.training')}: ${text.t.render('trainingText', { businesses: m.training.businesses.join(', '), days: m.training.days, before: m.training.before })}`,
        );
      }
    }
    for (const x of r.trainings)
      lines.push(
        `${x.staff} ${x.staffName}  ${text.t.render('columns.training')}: ${x.businesses.join(', ')} (${x.days})`,
      );
    for (const u of r.unmet) lines.push(`!  ${text.unmet(u)}`);
    const s = r.score;
    lines.push(
      `score ${round2(s.total)} (moves beyond required ${s.movesBeyondRequired}, required ${s.requiredMoves}, skill growth ${s.skillGrowth}, training days ${s.trainingDays}, wishes ${s.wishesGranted}, double posts ${s.doubleHolders}, penalties ${round2(s.penalties)})`,
    );
    lines.push(
      `solver ${r.solver.method} ${r.solver.status}, gap ${round2(r.solver.gap)}, ${round2(r.solver.seconds)} s`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
