/**
 * `neikong import cases FILE` (FILE or - for standard input): streams a `case-events` file
 * (NDJSON or a JSON array) into the ledger, printing progress to stderr and the summary as JSON
 * to stdout; any bad line stores nothing, lists the bad lines on stderr and exits 1.
 * `neikong cases tick` raises and resolves red cards as of now (for cron or a timer).
 *
 * @example
 * npx neikong import cases events.ndjson
 * // read 100,000 lines ... checking ... storing: 14,000 cases ... done
 * // {"importId":3,"lines":1000000,"cases":{"new":142857,...},...}
 */
import { createReadStream } from 'node:fs';
import { AppError } from '../platform/errors.ts';
import type { Deps } from '../platform/http.ts';
import { raiseRedCards } from './alerts.ts';
import { type IngestProgress, ingestCaseStream } from './ingest.ts';

const fmt = (n: number) => n.toLocaleString('en');

function reporter(out: NodeJS.WritableStream) {
  const started = Date.now();
  let lastPhase = '';
  return (p: IngestProgress) => {
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (p.phase === 'reading') out.write(`read ${fmt(p.lines)} lines (${secs} s)\n`);
    else if (p.phase === 'checking') out.write(`read ${fmt(p.lines)} lines; checking (${secs} s)\n`);
    else if (p.phase === 'storing' && p.cases !== undefined) {
      if (p.cases % 20_000 < 4000 || lastPhase !== 'storing')
        out.write(`storing: ${fmt(p.cases)} cases (${secs} s)\n`);
    } else if (p.phase === 'done') out.write(`done (${secs} s)\n`);
    lastPhase = p.phase;
  };
}

export async function importCasesCommand(deps: Deps, [file]: string[]): Promise<number> {
  if (!file) throw new AppError('VALIDATION_FAILED', 'name a file (or - for standard input)');
  const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1024 * 1024 });
  const result = await ingestCaseStream(deps.database, input, {
    actor: 'cli',
    source: 'cli',
    timeZone: deps.config.timeZone,
    onProgress: reporter(process.stderr),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

export async function casesTickCommand(deps: Deps): Promise<number> {
  const result = await raiseRedCards(deps.db, new Date(), { timeZone: deps.config.timeZone, actor: 'cli' });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}
