/**
 * Ingestion of `case-events` (shared/contracts/case-events.md): a request or a file is atomic,
 * idempotent and streamed in constant memory.
 *
 * 1. Every line is parsed and checked against the contract's schemas as it streams in; good lines
 *    are bulk-loaded into temp tables of ONE transaction, bad ones recorded with their reason.
 * 2. The cross-line rules (unknown case or item, seq gaps and changed repeats, actors who are not
 *    staff, times before receipt) run as set-based SQL over the temp tables.
 * 3. Any bad line: the transaction rolls back and the error lists every bad line (the first
 *    1,000, with the total). Else repeats of stored lines are dropped (same caseNo+seq, same
 *    content: nothing new), and the rest is stored with each event's authority decision and
 *    anomalies, and each touched case's clock (src/cases/apply.ts); red cards are raised.
 *
 * Ingestions are serialised (an advisory lock), so two requests never race on the same case.
 *
 * @example
 * const result = await ingestCaseStream(deps.database, fs.createReadStream('events.ndjson'), {
 *   actor: 'cli', source: 'cli', timeZone: deps.config.timeZone,
 * });
 * // { importId: 7, lines: 12, cases: { new: 2, unchanged: 0 }, events: { new: 10, unchanged: 0 }, ... }
 */
import { eq, sql } from 'drizzle-orm';
import { getAuthorityEngine } from '../authority/index.ts';
import { getCalendar, type WorkingCalendar } from '../calendar/index.ts';
import type { DatabaseHandle, Db } from '../db/client.ts';
import { LOCKS } from '../db/locks.ts';
import { listItems, listStaff } from '../org/service.ts';
import { appendAudit } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { contentHash } from '../platform/hash.ts';
import { type RedCardResult, raiseRedCardsIn } from './alerts.ts';
import { applyStaged, type Decider, type LedgerItem } from './apply.ts';
import {
  type BulkSession,
  type CopyStream,
  type CopyValue,
  copyEscape,
  copyLine,
  withBulkSession,
} from './bulk.ts';
import { type CaseLine, type EventLine, parseContractLine } from './contract.ts';
import {
  type ChunkSource,
  type InputLine,
  type RecordSource,
  recordInput,
  type SplitInput,
  splitInput,
} from './lines.ts';
import { type CasePolicy, casePolicyVersion, getCasePolicy } from './policy.ts';
import { caseImports } from './schema.ts';
import { createStaging, dropKnown, indexStaging, lineColumns, readProblems, runChecks } from './staging.ts';

/** How many bad lines an answer lists (the total is always given). */
export const MAX_REPORTED = 1000;
const FLUSH_ROWS = 5000;
const PROGRESS_EVERY = 100_000;

export interface IngestProgress {
  phase: 'reading' | 'checking' | 'storing' | 'done';
  lines: number;
  cases?: number;
}

export interface IngestOptions {
  /** Who sent it, for the audit log (`token:NAME`, `cli`, `demo`). */
  actor: string;
  /** `http`, `cli`, `demo`, ... */
  source: string;
  /** The bureau's time zone (config.timeZone). */
  timeZone: string;
  /** The time of asking for the clocks and red cards (default: now). */
  now?: Date;
  idempotencyKey?: string;
  calendar?: WorkingCalendar;
  policy?: CasePolicy;
  /** The authority engine (default: `getAuthorityEngine(db)`). */
  decider?: Decider;
  onProgress?: (p: IngestProgress) => void;
  /** Cases decided and written per page (tuning; tests make it small). */
  pageSize?: number;
}

export interface IngestResult {
  /** The import's record, or null when nothing new was stored and no key was given. */
  importId: number | null;
  lines: number;
  cases: { new: number; unchanged: number };
  events: { new: number; unchanged: number };
  /** New events flagged with anomalies (stored all the same). */
  anomalous: number;
  /** New events the authority in force at their time did not allow. */
  denied: number;
  alerts: RedCardResult;
  bodySha256: string;
  /** True when an Idempotency-Key was seen before: this is the first answer, again. */
  replayed?: boolean;
}

/**
 * Ingests a byte stream (NDJSON, or a JSON array): an HTTP body or a file.
 * @example await ingestCaseStream(deps.database, c.req.raw.body!, { actor, source: 'http', timeZone })
 */
export function ingestCaseStream(target: Db | DatabaseHandle, chunks: ChunkSource, opts: IngestOptions) {
  return ingest(target, splitInput(chunks), opts);
}

/**
 * Ingests records made in-process (JSON lines or objects), e.g. by the demo case generator.
 * @example await ingestCaseRecords(deps.database, generateCases(...), { actor: 'demo', source: 'demo', timeZone })
 */
export function ingestCaseRecords(target: Db | DatabaseHandle, records: RecordSource, opts: IngestOptions) {
  return ingest(target, recordInput(records), opts);
}

async function ingest(
  target: Db | DatabaseHandle,
  input: SplitInput,
  opts: IngestOptions,
): Promise<IngestResult> {
  const db = 'close' in target && 'kind' in target ? (target as DatabaseHandle).db : (target as Db);
  const now = opts.now ?? new Date();
  const calendar = opts.calendar ?? getCalendar();
  const policy = opts.policy ?? getCasePolicy();
  // Read before the transaction opens: on PGlite one connection serves both.
  const decider: Decider = opts.decider ?? (await getAuthorityEngine(db));
  const items = new Map<string, LedgerItem>((await listItems(db)).map((i) => [i.code, i]));
  const staffNos = new Set((await listStaff(db)).map((x) => x.no));
  const progress = opts.onProgress ?? (() => {});

  return withBulkSession(target, async (s) => {
    await s.exec(sql`select pg_advisory_xact_lock(${LOCKS.ingestion})`);
    if (s.copyMode) {
      // The checks sort and hash a million rows: in memory, not in temp files (this transaction only).
      await s.exec(`set local work_mem = '256MB'`);
      await s.exec(`set local maintenance_work_mem = '512MB'`);
    }
    if (opts.idempotencyKey) {
      const [seen] = await s.db
        .select()
        .from(caseImports)
        .where(eq(caseImports.idempotencyKey, opts.idempotencyKey));
      if (seen) {
        for await (const _ of input.lines) {
          // read to the end: the key only replays the same body
        }
        if (input.sha256() !== seen.bodySha256)
          throw new AppError('CONFLICT', 'this Idempotency-Key was used with a different body');
        return { ...(seen.result as unknown as IngestResult), replayed: true };
      }
    }

    await createStaging(s);
    const staged = await stage(s, input.lines, { items, staff: staffNos }, progress);
    const lines = staged.lines;
    progress({ phase: 'checking', lines });
    await indexStaging(s);
    await runChecks(s, opts.timeZone, staged);
    const problems = await readProblems(s, MAX_REPORTED);
    if (problems.total > 0) {
      const listed =
        problems.first.length < problems.total ? ` (the first ${problems.first.length} are listed)` : '';
      throw AppError.validation(
        problems.first.map((p) => ({ path: `line ${p.line}`, message: p.message })),
        `${problems.total} bad line${problems.total === 1 ? '' : 's'}${listed}; nothing was stored`,
      );
    }

    const dropped = await dropKnown(s);
    const counts = {
      cases: { new: staged.cases - dropped.cases, unchanged: dropped.cases },
      events: { new: staged.events - dropped.events, unchanged: dropped.events },
    };
    const changes = counts.cases.new + counts.events.new > 0;
    const [{ id }] = await s.rows<{ id: number }>(
      sql`select nextval(pg_get_serial_sequence('case_imports', 'id'))::int as id`,
    );
    progress({ phase: 'storing', lines });
    const applied = await applyStaged({
      session: s,
      decider,
      items,
      calendar,
      policy,
      timeZone: opts.timeZone,
      asOf: now,
      importId: id,
      computedWith: `${calendar.version.slice(0, 12)}/${casePolicyVersion(policy)}`,
      onProgress: (cases) => progress({ phase: 'storing', lines, cases }),
      pageSize: opts.pageSize,
      nothingDropped: dropped.cases + dropped.events === 0,
    });
    const alerts = await raiseRedCardsIn(s.db, now, {
      timeZone: opts.timeZone,
      actor: opts.actor,
      touched: true,
    });
    const keep = changes || opts.idempotencyKey !== undefined;
    const result: IngestResult = {
      importId: keep ? id : null,
      lines,
      cases: counts.cases,
      events: counts.events,
      anomalous: applied.anomalous,
      denied: applied.denied,
      alerts,
      bodySha256: input.sha256(),
    };
    if (keep) {
      await s.db.insert(caseImports).values({
        id,
        idempotencyKey: opts.idempotencyKey ?? null,
        bodySha256: result.bodySha256,
        actor: opts.actor,
        source: opts.source,
        lines,
        result: result as unknown as Record<string, unknown>,
        at: now,
      });
    }
    if (changes) {
      // One entry per import: the events themselves are append-only records of their own.
      await appendAudit(s.db, {
        actor: opts.actor,
        action: 'cases.import',
        entity: 'case_import',
        entityId: String(id),
        content: { ...result, resultHash: contentHash(counts) },
      });
    }
    progress({ phase: 'done', lines });
    return result;
  });
}

/** Streams the lines into the staging table; returns how many lines there were, of each kind. */
async function stage(
  s: BulkSession,
  lines: AsyncIterable<InputLine>,
  known: { items: Map<string, unknown>; staff: Set<string> },
  progress: (p: IngestProgress) => void,
) {
  const out = await s.copyStream('nk_in_lines', lineColumns);
  const batch = stagingBatch(out);
  let count = 0;
  let caseLines = 0;
  let eventLines = 0;
  try {
    for await (const line of lines) {
      count++;
      if (line.error) batch.problem(line.no, line.error);
      else {
        let value: unknown = line.value;
        let parsedOk = true;
        const bad = unstorableText(line.text ?? JSON.stringify(line.value));
        if (bad) {
          parsedOk = false;
          batch.problem(line.no, bad);
        } else if (line.text !== undefined) {
          try {
            value = JSON.parse(line.text);
          } catch (e) {
            parsedOk = false;
            batch.problem(line.no, `not valid JSON: ${(e as Error).message}`);
          }
        }
        if (parsedOk) {
          const p = parseContractLine(value);
          if (!p.ok) {
            batch.problem(line.no, p.message);
            if (p.type === 'case' && p.caseNo) batch.badCase(line.no, p.caseNo);
          } else if (p.type === 'case') {
            caseLines++;
            if (!known.items.has(p.line.itemCode)) batch.problem(line.no, `unknown item ${p.line.itemCode}`);
            batch.case(line.no, p.line);
          } else {
            eventLines++;
            const e = p.line;
            const d = e.data;
            const approvedBy =
              e.action === 'extend' && typeof d.approvedBy === 'string' ? d.approvedBy : null;
            const filedTo = e.action === 'file_rejection' && typeof d.filedTo === 'string' ? d.filedTo : null;
            if (!known.staff.has(e.actor)) batch.problem(line.no, `actor ${e.actor} is not staff`);
            if (approvedBy !== null && !known.staff.has(approvedBy))
              batch.problem(line.no, `data.approvedBy: ${approvedBy} is not staff`);
            if (filedTo !== null && !known.staff.has(filedTo))
              batch.problem(line.no, `data.filedTo: ${filedTo} is not staff`);
            batch.event(line.no, e);
          }
        }
      }
      if (batch.size >= FLUSH_ROWS) await batch.flush();
      if (count % PROGRESS_EVERY === 0) progress({ phase: 'reading', lines: count });
    }
    await batch.flush();
    await batch.loaded();
  } finally {
    // The COPY must end before anything else runs on the connection, even on an error.
    await out.end().catch(() => {});
  }
  await batch.loaded();
  return { lines: count, cases: caseLines, events: eventLines };
}

/**
 * Rows for the staging table, sent a batch at a time while the next is parsed. On a server the
 * hot rows (events, cases) are written straight as COPY text, by position in `lineColumns`'
 * order (a million times: no arrays, no lookups by name); elsewhere as value arrays.
 */
function stagingBatch(out: CopyStream) {
  const direct = out.writeText !== undefined;
  let rows: CopyValue[][] = [];
  let text = '';
  let size = 0;
  let loading: Promise<void> = Promise.resolve();
  const N = '\\N';
  const row = (r: CopyValue[]) => {
    size++;
    if (direct) text += copyLine(lineColumns, r);
    else rows.push(r);
  };
  return {
    get size() {
      return size;
    },
    problem: (no: number, message: string) => row(stagingRow(no, 'p', { message })),
    badCase: (no: number, caseNo: string) => row(stagingRow(no, 'b', { case_no: caseNo })),
    case(no: number, c: CaseLine) {
      const project = c.project ? JSON.stringify(c.project) : null;
      if (!direct)
        return row([
          no,
          'c',
          c.caseNo,
          null,
          null,
          null,
          null,
          null,
          c.itemCode,
          c.route,
          c.channel,
          c.receivedAt,
          c.applicant.kind,
          c.applicant.name,
          c.applicant.id,
          project,
          null,
        ]);
      size++;
      text += `${no}\tc\t${copyEscape(c.caseNo)}\t${N}\t${N}\t${N}\t${N}\t${N}\t${copyEscape(c.itemCode)}\t${c.route}\t${c.channel}\t${c.receivedAt}\t${c.applicant.kind}\t${copyEscape(c.applicant.name)}\t${copyEscape(c.applicant.id)}\t${project === null ? N : copyEscape(project)}\t${N}\n`;
    },
    event(no: number, e: EventLine) {
      const data = JSON.stringify(e.data);
      if (!direct)
        return row([
          no,
          'e',
          e.caseNo,
          e.seq,
          e.at,
          e.action,
          e.actor,
          data,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
        ]);
      size++;
      // `at` matched the instant pattern and `action` is one of the contract's: nothing to escape.
      text += `${no}\te\t${copyEscape(e.caseNo)}\t${e.seq}\t${e.at}\t${e.action}\t${copyEscape(e.actor)}\t${copyEscape(data)}\t${N}\t${N}\t${N}\t${N}\t${N}\t${N}\t${N}\t${N}\t${N}\n`;
    },
    async flush() {
      await loading;
      const pending = direct ? text : rows;
      text = '';
      rows = [];
      size = 0;
      loading = direct ? out.writeText!(pending as string) : out.write(pending as CopyValue[][]);
      // A failed load must not go unobserved while the next batch is parsed.
      loading.catch(() => {});
    },
    loaded: () => loading,
  };
}

/** A staging row from named values (the rare kinds: problems, bad case lines). */
function stagingRow(line: number, kind: string, values: Record<string, CopyValue>): CopyValue[] {
  return lineColumns.map((c) =>
    c.name === 'line' ? line : c.name === 'kind' ? kind : (values[c.name] ?? null),
  );
}

/**
 * Text PostgreSQL cannot store (a NUL character, half of a surrogate pair), found on the raw
 * line so that it is a bad line rather than a failed load. Cheap on ordinary lines: only a line
 * with a suspicious escape is decoded and walked.
 */
export function unstorableText(text: string | undefined): string | null {
  if (text === undefined) return null;
  // A NUL character itself, an escaped NUL, or a surrogate (escaped or not) makes a line suspect.
  if (!text.includes('\u0000') && !/\\u[0dD]|[\uD800-\uDFFF]/.test(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null; // reported as invalid JSON
  }
  let found: string | null = null;
  const walk = (v: unknown) => {
    if (found) return;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) found = 'contains a NUL character (\\u0000)';
      else if (/\p{Cs}/u.test(v)) found = 'contains half of a UTF-16 surrogate pair';
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        walk(k);
        walk(x);
      }
  };
  walk(value);
  return found;
}
