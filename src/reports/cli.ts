/**
 * `neikong reports ...`: generate a report version, catch up on missing ones (what the server's
 * timer does), or write a stored version's PDF or HTML to a file.
 *
 * @example
 * neikong reports generate monthly 2026-03
 * neikong reports catch-up
 * neikong reports get monthly 2026-03 --version 1 --locale en --out march.pdf
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../platform/errors.ts';
import type { Deps } from '../platform/http.ts';
import { REPORT_KINDS, type ReportKind } from './periods.ts';
import { catchUpReports } from './schedule.ts';
import { generateReport, getReportVersion } from './store.ts';

export const reportsUsage = `  neikong reports generate KIND PERIOD     a new version (KIND daily|weekly|monthly|quarterly;
                                     PERIOD 2026-03-02 | 2026-W10 | 2026-03 | 2026-Q1)
  neikong reports catch-up           generate what is missing for the periods over (the timer's run)
  neikong reports get KIND PERIOD [--version N] [--locale zh-CN|en] --out FILE.pdf|FILE.html
`;

function kindOf(s: string | undefined): ReportKind {
  if (!s || !(REPORT_KINDS as readonly string[]).includes(s))
    throw AppError.validation([{ path: 'KIND', message: `one of ${REPORT_KINDS.join(', ')}` }]);
  return s as ReportKind;
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export const reportsCommands: Record<string, (deps: Deps, args: string[]) => Promise<number>> = {
  'reports generate': async (deps, [kind, period]) => {
    if (!period) throw AppError.validation([{ path: 'PERIOD', message: 'name the period' }]);
    const v = await generateReport(deps.db, {
      kind: kindOf(kind),
      period,
      timeZone: deps.config.timeZone,
      actor: 'cli',
      trigger: 'request',
    });
    print({ ...v, changes: v?.changes?.length ?? null });
    return 0;
  },
  'reports catch-up': async (deps) => {
    const done = await catchUpReports(deps.db, new Date(), { timeZone: deps.config.timeZone, actor: 'cli' });
    print(done.map((d) => ({ kind: d.kind, period: d.period, version: d.version })));
    return 0;
  },
  'reports get': async (deps, args) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        version: { type: 'string' },
        locale: { type: 'string', default: 'zh-CN' },
        out: { type: 'string' },
      },
    });
    const [kind, period] = positionals;
    if (!period || !values.out)
      throw AppError.validation([
        { path: '--out', message: 'give KIND, PERIOD and --out FILE.pdf or FILE.html' },
      ]);
    const row = await getReportVersion(deps.db, {
      kind: kindOf(kind),
      period,
      locale: values.locale!,
      version: values.version ? Number(values.version) : undefined,
    });
    writeFileSync(values.out, values.out.endsWith('.html') ? row.html : row.pdf);
    print({
      kind: row.kind,
      period: row.period,
      version: row.version,
      locale: row.locale,
      sha256: row.sha256,
    });
    return 0;
  },
};
