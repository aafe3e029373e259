/**
 * SQL that drizzle-kit cannot express (triggers), applied after the migrations on every start.
 * Every statement is idempotent (create or replace / drop if exists), so re-running is harmless.
 */

/** Tables whose rows, once written, stand as records: UPDATE, DELETE and TRUNCATE are refused. */
export const appendOnlyTables = [
  'audit_log',
  'authority_policy_versions',
  'authority_policy_activations',
  'authority_suspensions',
  'authority_suspension_lifts',
  'authority_decisions',
  'misconduct_transitions',
  'cases',
  'case_events',
  'case_imports',
  'report_versions',
  'rotation_plan_moves',
  'verification_runs',
  'verification_result_chunks',
  'verification_finding_texts',
  'verification_run_findings',
  'verification_rulings',
  'verification_referrals',
];

/** One statement per entry: prepared statements (PGlite) take a single command. */
export const postMigrationStatements: string[] = [
  `create or replace function neikong_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'neikong: % is append-only (% refused)', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end $$`,
  ...appendOnlyTables.flatMap((t) => [
    `drop trigger if exists ${t}_no_update on ${t}`,
    `create trigger ${t}_no_update before update or delete on ${t} for each row execute function neikong_append_only()`,
    `drop trigger if exists ${t}_no_truncate on ${t}`,
    `create trigger ${t}_no_truncate before truncate on ${t} for each statement execute function neikong_append_only()`,
  ]),
];
