/**
 * `neikong verify`: runs verification over a period (the cases completed, returned or sent a
 * supplement notice in it) or over named cases, printing progress to stderr and the results to
 * stdout: NDJSON, one `{caseNo, check, result, detail, staff}` a line, or a table (counts per
 * check, then each failure).
 *
 * @example
 * npx neikong verify --from 2026-03-01 --to 2026-03-31 --format table
 * npx neikong verify --case QZJS-2026-000123 --case QZJS-2026-000124      // NDJSON
 * npx neikong verify --from 2026-03-01 --to 2026-03-31 --failures | jq .
 */
import { parseArgs } from 'node:util';
import { AppError } from '../platform/errors.ts';
import type { Deps } from '../platform/http.ts';
import { type CheckName, getVerificationPolicy } from './policy.ts';
import { allFindings, getRun } from './query.ts';
import { runVerification } from './run.ts';

export const verifyUsage = `  neikong verify --from DATE --to DATE [--case NO ...] [--format ndjson|table] [--failures]
                                     verify the cases completed, returned or sent a supplement
                                     notice in the period (or the named cases)
`;

const fmt = (n: number) => n.toLocaleString('en');

/** Pads to a display width, counting CJK characters as two columns. */
function padTo(s: string, width: number): string {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uffef]/.test(ch) ? 2 : 1;
  return s + ' '.repeat(Math.max(0, width - w));
}

export async function verifyCommand(
  deps: Deps,
  args: string[],
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      case: { type: 'string', multiple: true },
      format: { type: 'string', default: 'ndjson' },
      failures: { type: 'boolean', default: false },
      'as-of': { type: 'string' },
      lang: { type: 'string', default: 'zh-CN' },
    },
  });
  if (values.format !== 'ndjson' && values.format !== 'table')
    throw AppError.validation([{ path: 'format', message: 'ndjson or table' }]);
  if (values.lang !== 'zh-CN' && values.lang !== 'en')
    throw AppError.validation([{ path: 'lang', message: 'zh-CN or en' }]);
  const caseNos = [...(values.case ?? []), ...(values.case ? positionals : [])]
    .flatMap((c) => c.split(','))
    .filter(Boolean);
  const asOf = values['as-of'] ? new Date(values['as-of']) : undefined;
  if (asOf && Number.isNaN(asOf.getTime()))
    throw AppError.validation([{ path: 'as-of', message: 'an ISO time' }]);
  const started = Date.now();
  const secs = () => ((Date.now() - started) / 1000).toFixed(1);
  const { run, status } = await runVerification(
    deps.db,
    {
      from: values.from,
      to: values.to,
      caseNos: caseNos.length ? caseNos : undefined,
      asOf,
      actor: 'cli',
      timeZone: deps.config.timeZone,
    },
    {
      onProgress: (p) =>
        process.stderr.write(
          `verified ${fmt(p.done)} of ${p.total === null ? '?' : fmt(p.total)} ledger cases: ${fmt(p.cases)} in scope, ${fmt(p.failures)} failures (${secs()} s)\n`,
        ),
    },
  );
  process.stderr.write(
    `run ${run.id}: ${fmt(status.cases)} cases, ${fmt(status.failures)} failures in ${fmt(status.failedCases)} cases (${secs()} s)\n`,
  );
  const locale = values.lang;
  if (values.format === 'ndjson') {
    for await (const r of allFindings(deps.db, run.id, { locale, failuresOnly: values.failures })) {
      out.write(
        `${JSON.stringify({ caseNo: r.caseNo, check: r.check, result: r.result, detail: r.detail, staff: r.staff })}\n`,
      );
    }
    return 0;
  }
  const policy = getVerificationPolicy();
  const view = await getRun(deps.db, run.id);
  const name = (c: string) => policy.checks[c as CheckName]?.name[locale] ?? c;
  out.write(`${padTo('check', 22)}${'pass'.padStart(9)}${'fail'.padStart(9)}${'n/a'.padStart(9)}\n`);
  for (const [check, s] of Object.entries(view?.status.summary ?? {})) {
    out.write(
      `${padTo(name(check), 22)}${fmt(s.pass).padStart(9)}${fmt(s.fail).padStart(9)}${fmt(s.not_applicable).padStart(9)}\n`,
    );
  }
  out.write('\n');
  for await (const r of allFindings(deps.db, run.id, { locale, failuresOnly: true })) {
    out.write(
      `${padTo(r.caseNo, 20)}${padTo(name(r.check), 16)}${padTo(r.staff.join(','), 12)}${r.detail}\n`,
    );
  }
  return 0;
}
