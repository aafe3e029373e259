/**
 * The staging side of ingestion: the session's temp tables that hold the incoming lines, and
 * the cross-line checks of the contract run over them as set-based SQL (a million lines never sit
 * in memory). Every problem lands in `nk_problems` (line, message); the caller reads the first
 * ones and the total.
 *
 * @example
 * await createStaging(session);
 * // ... session.copy('nk_in_events', eventColumns, rows) ...
 * await runChecks(session);
 */
import { sql } from 'drizzle-orm';
import type { BulkSession, ColumnSpec } from './bulk.ts';

/**
 * Every incoming line lands in one table (`kind`: c = case, e = event, p = problem found while
 * parsing, b = a bad case line whose number could be read), loaded by one COPY; the views below
 * give the checks typed tables to work with.
 */
export const lineColumns: ColumnSpec[] = [
  { name: 'line', type: 'int' },
  { name: 'kind', type: 'text' },
  { name: 'case_no', type: 'text' },
  { name: 'seq', type: 'int' },
  { name: 'at', type: 'timestamptz' },
  { name: 'action', type: 'text' },
  { name: 'actor', type: 'text' },
  { name: 'data', type: 'text' },
  { name: 'item_code', type: 'text' },
  { name: 'route', type: 'text' },
  { name: 'channel', type: 'text' },
  { name: 'received_at', type: 'timestamptz' },
  { name: 'applicant_kind', type: 'text' },
  { name: 'applicant_name', type: 'text' },
  { name: 'applicant_id', type: 'text' },
  { name: 'project', type: 'text' },
  { name: 'message', type: 'text' },
];

export async function createStaging(s: BulkSession) {
  const statements = [
    `create temp table nk_in_lines (line int not null, kind text not null, case_no text, seq int,
      at timestamptz, action text, actor text, data text,
      item_code text, route text, channel text, received_at timestamptz, applicant_kind text,
      applicant_name text, applicant_id text, project text, message text) on commit drop`,
    // JSON stays text until a comparison needs it (rarely: repeats), and goes out as it came in.
    `create temp view nk_in_cases as
      select line, case_no, item_code, route, channel, received_at, applicant_kind, applicant_name,
        applicant_id, project::jsonb as project from nk_in_lines where kind = 'c'`,
    `create temp view nk_in_events as
      select line, case_no, seq, at, action, actor, data::jsonb as data, data as data_text
      from nk_in_lines where kind = 'e'`,
    `create temp view nk_bad_cases as select line, case_no from nk_in_lines where kind = 'b'`,
    `create temp table nk_problems (line int not null, message text not null) on commit drop`,
  ];
  for (const q of statements) await s.exec(q);
}

/**
 * Indexes, statistics and the small tables the checks and the rest of ingestion share, built
 * once the lines are in: the cases touched, those of them already stored, each case's first
 * line, and the (case, seq) keys sent twice or after a gap.
 */
export async function indexStaging(s: BulkSession) {
  await s.exec(`create index on nk_in_lines (case_no, seq, line) where kind = 'e'`);
  await s.exec(`create index on nk_in_lines (case_no, line) where kind = 'c'`);
  // A small sample is plenty for the planner to see these are big tables (and much quicker).
  await s.exec('set local default_statistics_target = 10');
  await s.exec('analyze nk_in_lines');
  await s.exec('reset default_statistics_target');
  await s.exec(`insert into nk_problems select line, message from nk_in_lines where kind = 'p'`);
  await s.exec(`create temp table nk_touched on commit drop as
    select case_no from nk_in_lines where kind in ('c', 'e') group by case_no`);
  await s.exec('alter table nk_touched add primary key (case_no)');
  await s.exec(`create temp table nk_known on commit drop as
    select c.case_no, c.received_at from nk_touched t join cases c on c.case_no = t.case_no`);
  await s.exec('alter table nk_known add primary key (case_no)');
  await s.exec(`create temp table nk_first_case on commit drop as
    select distinct on (case_no) case_no, line, received_at from nk_in_cases order by case_no, line`);
  await s.exec('alter table nk_first_case add primary key (case_no)');
  // One ordered pass over the events' index: a row repeating the key before it is a repeat; the
  // first row of a case past seq 1, or a row jumping past seq+1, may follow a gap.
  await s.exec(`create temp table nk_seq_flags on commit drop as
    select case_no, seq, line, repeat from (
      select case_no, seq, line,
        lag(case_no) over w is not distinct from case_no and lag(seq) over w = seq as repeat,
        lag(case_no) over w is distinct from case_no or lag(seq) over w < seq - 1 as jump
      from nk_in_events window w as (order by case_no, seq, line)) x
    where repeat or (jump and seq > 1)`);
  for (const t of ['nk_touched', 'nk_known', 'nk_first_case', 'nk_seq_flags']) await s.exec(`analyze ${t}`);
}

const CASE_DIFF = `concat_ws(', ',
  case when a.item_code is distinct from b.item_code then 'itemCode' end,
  case when a.route is distinct from b.route then 'route' end,
  case when a.channel is distinct from b.channel then 'channel' end,
  case when a.received_at is distinct from b.received_at then 'receivedAt' end,
  case when a.applicant_kind is distinct from b.applicant_kind or a.applicant_name is distinct from b.applicant_name
    or a.applicant_id is distinct from b.applicant_id then 'applicant' end,
  case when a.project is distinct from b.project then 'project' end)`;

const EVENT_DIFF = `concat_ws(', ',
  case when a.at is distinct from b.at then 'at' end,
  case when a.action is distinct from b.action then 'action' end,
  case when a.actor is distinct from b.actor then 'actor' end,
  case when a.data is distinct from b.data then 'data' end)`;

/**
 * The contract's cross-line rules (shared/contracts/case-events.md) that need other lines or
 * what is stored: a case stored or sent with different content, an event of an unknown case or
 * before its case line, a seq repeated with different content or after a gap, a time before
 * the case was received. (An unknown item, actor or approver is found while parsing.) Each rule
 * is one pass over the staging, most of them over small tables built by `indexStaging`.
 */
export async function runChecks(s: BulkSession, timeZone: string, staged: { cases: number }) {
  const tz = timeZone.replace(/'/g, "''");
  // Rules that cannot fire are skipped: no case sent twice, none stored before, no seq repeated
  // or after a gap (the usual first import of new cases).
  const [facts] = await s.rows<{ known: boolean; flags: boolean; firsts: number }>(
    sql`select exists (select 1 from nk_known) as known, exists (select 1 from nk_seq_flags) as flags,
        (select count(*) from nk_first_case)::int as firsts`,
  );
  const repeatedCases = Number(facts.firsts) !== staged.cases;
  const local = (col: string) => `to_char(${col} at time zone '${tz}', 'YYYY-MM-DD HH24:MI:SS')`;
  const checks: [boolean, string][] = [
    // A case line sent twice in the input with different content.
    [
      repeatedCases,
      `insert into nk_problems
     select a.line, 'case ' || a.case_no || ' differs from line ' || b.line || ' in ' || ${CASE_DIFF}
     from nk_in_cases a join nk_first_case f on f.case_no = a.case_no and f.line <> a.line
     join nk_in_cases b on b.case_no = f.case_no and b.line = f.line
     where ${CASE_DIFF} <> ''`,
    ],
    // A case already stored, sent again with different content: a case is never edited.
    [
      facts.known,
      `insert into nk_problems
     select a.line, 'case ' || a.case_no || ' is stored with a different ' || ${CASE_DIFF} || ' (a case is never edited)'
     from nk_known k join nk_in_cases a on a.case_no = k.case_no join cases b on b.case_no = k.case_no
     where ${CASE_DIFF} <> ''`,
    ],
    // Each event against its case: unknown (or its line is bad), sent before its case line, or
    // happening before the case was received. One pass over the events.
    [
      true,
      `insert into nk_problems
     select line, message from (
       select e.line, concat_ws('; ',
         case when k.case_no is null and f.case_no is null then
           case when bad.line is not null
             then 'case ' || e.case_no || ' is not valid (its case line ' || bad.line || ' is bad)'
             else 'unknown case ' || e.case_no end end,
         case when k.case_no is null and e.line < f.line then
           'comes before the line of its case ' || e.case_no || ' (line ' || f.line || ')' end,
         case when e.at < coalesce(k.received_at, f.received_at) then
           'at ' || ${local('e.at')} || ' is before case ' || e.case_no || ' was received ('
             || ${local('coalesce(k.received_at, f.received_at)')} || ')' end) as message
       from nk_in_events e
       left join nk_known k on k.case_no = e.case_no
       left join nk_first_case f on f.case_no = e.case_no
       left join (select case_no, min(line) as line from nk_bad_cases group by case_no) bad on bad.case_no = e.case_no
     ) x where message <> ''`,
    ],
    // The same seq twice in the input with different content.
    [
      facts.flags,
      `insert into nk_problems
     select a.line, 'seq ' || a.seq || ' of case ' || a.case_no || ' differs from line ' || b.line || ' in ' || ${EVENT_DIFF}
     from nk_seq_flags r
     join nk_in_events a on a.case_no = r.case_no and a.seq = r.seq and a.line = r.line
     join lateral (select * from nk_in_events f where f.case_no = r.case_no and f.seq = r.seq
                   order by f.line limit 1) b on true
     where r.repeat and ${EVENT_DIFF} <> ''`,
    ],
    // A gap: seq n arrives while n-1 is neither sent nor stored (stored seqs run 1..max).
    [
      facts.flags,
      `insert into nk_problems
     select r.line, 'seq ' || r.seq || ' of case ' || r.case_no || ' follows a gap: seq ' || (r.seq - 1) || ' is missing'
     from nk_seq_flags r
     where not r.repeat
       -- Inside CASE the lookups stay per-row index probes (never a join over all events).
       and case when exists (select 1 from nk_in_events p where p.case_no = r.case_no and p.seq = r.seq - 1) then false
                when exists (select 1 from case_events p where p.case_no = r.case_no and p.seq = r.seq - 1) then false
                else true end`,
    ],
    // A stored seq sent again with different content (only cases already stored can have one).
    [
      facts.known,
      `insert into nk_problems
     select a.line, 'seq ' || a.seq || ' of case ' || a.case_no || ' is stored with a different ' || ${EVENT_DIFF}
     from nk_known k join nk_in_events a on a.case_no = k.case_no
     join case_events b on b.case_no = a.case_no and b.seq = a.seq
     where ${EVENT_DIFF} <> ''`,
    ],
  ];
  for (const [needed, q] of checks) if (needed) await s.exec(q);
}

/** The total of bad lines and the first `limit` of them, each with its reasons joined. */
export async function readProblems(s: BulkSession, limit: number) {
  const [total] = await s.rows<{ n: number }>(sql`select count(distinct line)::int as n from nk_problems`);
  const first = await s.rows<{ line: number; message: string }>(
    sql`select line, string_agg(message, '; ' order by message) as message
        from nk_problems group by line order by line limit ${limit}`,
  );
  return { total: Number(total.n), first };
}

/**
 * Leaves only what is new: drops lines repeating a stored case or event (same content, as the
 * checks made sure), and repeats within the input (the first line stands). Returns how many
 * lines of each were dropped.
 */
export async function dropKnown(s: BulkSession) {
  const count = async (q: string) =>
    Number(
      (
        await s.rows<{ n: number }>(sql.raw(`with d as (${q} returning 1) select count(*)::int as n from d`))
      )[0].n,
    );
  const [{ known }] = await s.rows<{ known: boolean }>(sql`select exists (select 1 from nk_known) as known`);
  let cases = await count(`delete from nk_in_lines a using nk_first_case f
    where a.kind = 'c' and f.case_no = a.case_no and a.line > f.line`);
  let events = await count(`delete from nk_in_lines a using nk_seq_flags r
    where a.kind = 'e' and r.repeat and a.case_no = r.case_no and a.seq = r.seq and a.line = r.line`);
  if (known) {
    cases += await count(
      `delete from nk_in_lines a using nk_known k where a.kind = 'c' and a.case_no = k.case_no`,
    );
    events += await count(`delete from nk_in_lines a using nk_known k, case_events b
      where a.kind = 'e' and a.case_no = k.case_no and b.case_no = a.case_no and b.seq = a.seq`);
  }
  return { cases, events };
}
