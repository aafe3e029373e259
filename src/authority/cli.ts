/**
 * `neikong authority …`: ask a decision or a scope from the shell (JSON on stdout), for support
 * staff and scripts. A decision asked here is recorded like any other (asked by `cli`).
 *
 * @example
 * neikong authority check --staff S005 --action accept --item SG-001 --at 2026-03-05 --case-file case.json
 * neikong authority scope --staff S005 --at 2026-03-05
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError, zodIssuesToProblems } from '../platform/errors.ts';
import type { Deps } from '../platform/http.ts';
import { caseSchema } from './routes.ts';
import { decide, getAuthorityEngine } from './service.ts';
import { parseInstant } from './time.ts';
import type { CaseContext } from './types.ts';

export const authorityUsage = `  neikong authority check --staff S --action A --item I [--at T] [--case-file F]
                                     may S do A on I (at T: a date or ISO instant)? JSON out;
                                     exit 0 allowed, 3 denied; the decision is recorded
  neikong authority scope --staff S [--at T]   everything S may do (授权清单), JSON out
`;

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function readCase(file: string): CaseContext {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new AppError('VALIDATION_FAILED', `${file}: ${(e as Error).message}`);
  }
  const parsed = caseSchema.safeParse(raw);
  if (!parsed.success)
    throw AppError.validation(zodIssuesToProblems(parsed.error.issues, 'case.'), `${file} is not a case`);
  return parsed.data as CaseContext;
}

async function instant(deps: Deps, value: string | undefined): Promise<Date> {
  if (!value) return new Date();
  const at = parseInstant(value, (await getAuthorityEngine(deps.db)).timeZone);
  if (!at)
    throw AppError.validation([
      { path: 'at', message: 'must be a date YYYY-MM-DD or an ISO instant with a zone' },
    ]);
  return at;
}

const missing = (values: Record<string, unknown>, names: string[]) => {
  const gone = names.filter((n) => !values[n]);
  if (gone.length) throw AppError.validation(gone.map((n) => ({ path: `--${n}`, message: 'required' })));
};

export const authorityCommands: Record<string, (deps: Deps, args: string[]) => Promise<number>> = {
  'authority check': async (deps, args) => {
    const { values } = parseArgs({
      args,
      options: {
        staff: { type: 'string' },
        action: { type: 'string' },
        item: { type: 'string' },
        at: { type: 'string' },
        'case-file': { type: 'string' },
      },
    });
    missing(values, ['staff', 'action', 'item']);
    const decision = await decide(
      deps.db,
      {
        staff: values.staff!,
        action: values.action!,
        item: values.item!,
        at: await instant(deps, values.at),
        case: values['case-file'] ? readCase(values['case-file']) : undefined,
      },
      { askedBy: 'cli' },
    );
    print(decision);
    return decision.allowed ? 0 : 3;
  },
  'authority scope': async (deps, args) => {
    const { values } = parseArgs({ args, options: { staff: { type: 'string' }, at: { type: 'string' } } });
    missing(values, ['staff']);
    const engine = await getAuthorityEngine(deps.db);
    print(engine.scope(values.staff!, await instant(deps, values.at)));
    return 0;
  },
};
