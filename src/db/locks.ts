/**
 * Every transaction-scoped advisory lock neikong takes, in one list so that no two uses share an
 * id by accident (two unrelated writers would then wait on each other).
 *
 * @example
 * await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS.ingestion})`);
 */
export const LOCKS = {
  /** Appending to the hash-chained audit log (one writer at a time keeps the chain linear). */
  audit: 7341001,
  /** Recording a new authority policy version. */
  authorityVersions: 7341002,
  /** Case ingestion: two imports never race on the same case. */
  ingestion: 7341003,
  /** Approving a rotation plan. */
  rotation: 7341008,
  /** Refreshing verification's per-case facts (runs take it shared). */
  verificationFacts: 7341011,
  /**
   * Generating one report: the two-key form `(reports, hashtext(kind:period))`, which PostgreSQL
   * keeps apart from the one-key locks above.
   */
  reports: 7342000,
} as const;
