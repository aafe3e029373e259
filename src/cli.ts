/**
 * The `neikong` command line. It uses the same DATA_DIR / DATABASE_URL as the server (with
 * embedded PGlite, stop the server first: one process at a time may open the data folder).
 *
 * @example
 * npx neikong import org bureau.json
 * echo 'long secret' | npx neikong user add chen --role clerk --staff S003
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { authorityCommands, authorityUsage } from './authority/cli.ts';
import { calendarCommand } from './calendar/cli.ts';
import { casesTickCommand, importCasesCommand } from './cases/cli.ts';
import { ConfigError, loadConfig } from './config.ts';
import { loadDemoCases } from './demo/cases.ts';
import { loadDemo } from './demo/index.ts';
import { misconductCommands, misconductUsage } from './misconduct/cli.ts';
import { exportOrg, importOrg } from './org/service.ts';
import { verifyAuditChain } from './platform/audit.ts';
import { createToken, createUser, listTokens, revokeToken } from './platform/auth.ts';
import { AppError } from './platform/errors.ts';
import type { Deps } from './platform/http.ts';
import { PolicyError } from './platform/policy-file.ts';
import type { RoleName } from './platform/roles.ts';
import { localDate } from './platform/time.ts';
import { reportsCommands, reportsUsage } from './reports/cli.ts';
import { rotationCommands, rotationUsage } from './rotation/cli.ts';
import { openRuntime } from './runtime.ts';
import { verifyCommand, verifyUsage } from './verification/cli.ts';

const usage = `neikong - internal control of an approval window

  neikong import org FILE            load an org document (FILE or - for stdin)
  neikong export org                 print the organisation as an org document
  neikong import cases FILE          stream case-events (NDJSON or a JSON array; FILE or -)
  neikong cases tick                 raise and resolve red cards as of now
  neikong user add NAME --role ROLE [--staff NO]   password read from stdin
  neikong token create NAME --role system          prints the token once
  neikong token list | token revoke ID
  neikong audit verify               recompute the audit hash chain
  neikong demo [--seed N] [--cases N [--from DATE --to DATE --fault-rate R --faults FILE]]
                                     load the demo bureau, and N cases (a year to yesterday)
                                     with planted faults (listed in FILE as JSON)
${authorityUsage}${misconductUsage}${rotationUsage}${verifyUsage}${reportsUsage}  neikong calendar add DATE N | count FROM TO | check [DIR]   working days (no database needed)
`;

/** Commands that need no database. */
const offline: Record<string, (args: string[]) => Promise<number>> = {
  calendar: calendarCommand,
};

type Command = (deps: Deps, args: string[]) => Promise<number>;

async function readInput(file: string | undefined): Promise<string> {
  if (!file) throw new AppError('VALIDATION_FAILED', 'name a file (or - for standard input)');
  if (file !== '-') return readFileSync(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const today = (deps: Deps) => localDate(new Date(), deps.config.timeZone);
const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

const commands: Record<string, Command> = {
  ...authorityCommands,
  ...misconductCommands,
  ...rotationCommands,
  ...reportsCommands,
  'import cases': importCasesCommand,
  'cases tick': casesTickCommand,
  verify: verifyCommand,
  'import org': async (deps, [file]) => {
    const text = await readInput(file);
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new AppError('VALIDATION_FAILED', `${file} is not valid JSON: ${(e as Error).message}`);
    }
    print(await importOrg(deps.db, doc, { actor: 'cli', today: today(deps) }));
    return 0;
  },
  'export org': async (deps) => {
    print(await exportOrg(deps.db));
    return 0;
  },
  'user add': async (deps, args) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { role: { type: 'string' }, staff: { type: 'string' } },
    });
    const password = (await readInput('-')).split('\n')[0].trim();
    const user = await createUser(
      deps.db,
      { name: positionals[0] ?? '', role: values.role ?? '', staffNo: values.staff ?? null, password },
      'cli',
    );
    print({ id: user.id, name: user.name, role: user.role, staffNo: user.staffNo });
    return 0;
  },
  'token create': async (deps, args) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { role: { type: 'string' } },
    });
    const t = await createToken(
      deps.db,
      { name: positionals[0] ?? '', role: (values.role ?? 'system') as RoleName },
      'cli',
    );
    process.stderr.write(`token ${t.id} (${t.name}, role ${t.role}); it is shown this once:\n`);
    process.stdout.write(`${t.token}\n`);
    return 0;
  },
  'token list': async (deps) => {
    print(await listTokens(deps.db));
    return 0;
  },
  'token revoke': async (deps, [id]) => {
    print(await revokeToken(deps.db, Number(id), 'cli'));
    return 0;
  },
  'audit verify': async (deps) => {
    const result = await verifyAuditChain(deps.db);
    print(result);
    return result.ok ? 0 : 1;
  },
  demo: async (deps, args) => {
    const { values } = parseArgs({
      args,
      options: {
        seed: { type: 'string', default: '1' },
        cases: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'fault-rate': { type: 'string' },
        faults: { type: 'string' },
      },
    });
    const seed = Number(values.seed);
    const demo = await loadDemo(deps.db, { seed, today: today(deps) });
    const summary: Record<string, unknown> = {
      staff: demo.org.staff?.length,
      items: demo.org.items?.length,
      accounts: demo.accounts,
      password: demo.password,
    };
    if (values.cases !== undefined) {
      const cases = Number(values.cases);
      if (!Number.isInteger(cases) || cases < 1)
        throw new AppError('VALIDATION_FAILED', `--cases must be a positive whole number: ${values.cases}`);
      const loaded = await loadDemoCases(deps.database, {
        seed,
        cases,
        from: values.from,
        to: values.to,
        faultRate: values['fault-rate'] === undefined ? undefined : Number(values['fault-rate']),
        timeZone: deps.config.timeZone,
        onProgress: (p) => process.stderr.write(`cases: ${p.phase} ${p.lines} lines\n`),
      });
      // The planted faults, for checking that verification finds them all (and nothing else).
      if (values.faults) writeFileSync(values.faults, `${JSON.stringify(loaded.faults, null, 2)}\n`);
      const byCheck: Record<string, number> = {};
      for (const f of loaded.faults) byCheck[f.check] = (byCheck[f.check] ?? 0) + 1;
      summary.cases = {
        from: loaded.from,
        to: loaded.to,
        ...loaded.result,
        faults: { total: loaded.faults.length, byCheck, file: values.faults ?? null },
      };
    }
    print(summary);
    return 0;
  },
};

/** Runs one CLI invocation; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  if (argv[0] && offline[argv[0]]) return offline[argv[0]](argv.slice(1));
  const two = argv.slice(0, 2).join(' ');
  const name = commands[two] ? two : argv[0];
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(usage);
    return argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' ? 0 : 2;
  }
  const rest = argv.slice(name.split(' ').length);
  let deps: Deps | undefined;
  try {
    deps = await openRuntime(loadConfig());
    return await command(deps, rest);
  } catch (err) {
    if (err instanceof AppError) {
      process.stderr.write(`error (${err.code}): ${err.message}\n`);
      for (const e of err.errors ?? []) process.stderr.write(`  ${e.path}: ${e.message}\n`);
      return 1;
    }
    if (err instanceof ConfigError || err instanceof PolicyError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await deps?.database.close();
  }
}
