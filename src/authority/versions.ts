/**
 * Policy versions in the database: every distinct set of policy files is kept (hash, full text,
 * first seen), and each time a different set comes into force an activation is recorded, so a
 * decision about a past instant uses the policy that was in force then.
 *
 * @example
 * const { hash, changed } = await activatePolicyFiles(db, readPolicyDir(dir), { actor: 'system' });
 * await listPolicyVersions(db); // [{ hash, firstSeenAt, activations: [Date, ...] }]
 */
import { asc, desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { LOCKS } from '../db/locks.ts';
import { appendAudit } from '../platform/audit.ts';
import { parsePolicySet } from './policy.ts';
import { authorityPolicyActivations, authorityPolicyVersions } from './schema.ts';

/**
 * Validates `files` and makes them the version in force from `at` (default now), unless they
 * already are. Throws PolicyError (storing nothing) when a file is bad.
 */
export async function activatePolicyFiles(
  db: Db,
  files: Record<string, string>,
  opts: { actor: string; at?: Date },
): Promise<{ hash: string; changed: boolean }> {
  const { hash } = parsePolicySet(files);
  return db.transaction(async (tx) => {
    // One activator at a time, so two processes starting together record one activation.
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCKS.authorityVersions})`);
    const [latest] = await tx
      .select({ hash: authorityPolicyActivations.hash })
      .from(authorityPolicyActivations)
      .orderBy(desc(authorityPolicyActivations.at), desc(authorityPolicyActivations.id))
      .limit(1);
    if (latest?.hash === hash) return { hash, changed: false };
    const at = opts.at ?? new Date();
    await tx
      .insert(authorityPolicyVersions)
      .values({ hash, files, firstSeenAt: at })
      .onConflictDoNothing({ target: authorityPolicyVersions.hash });
    await tx.insert(authorityPolicyActivations).values({ hash, at, actor: opts.actor });
    await appendAudit(tx, {
      actor: opts.actor,
      action: 'authority.policy.activate',
      entity: 'authority_policy',
      entityId: hash,
      content: { hash, files: Object.keys(files), at: at.toISOString(), previous: latest?.hash ?? null },
    });
    return { hash, changed: true };
  });
}

/** Every version's files by hash, and the activations oldest first. */
export async function loadPolicyHistory(db: DbOrTx) {
  const versions = await db.select().from(authorityPolicyVersions);
  const activations = await db
    .select({ hash: authorityPolicyActivations.hash, at: authorityPolicyActivations.at })
    .from(authorityPolicyActivations)
    .orderBy(asc(authorityPolicyActivations.at), asc(authorityPolicyActivations.id));
  return { policyFiles: Object.fromEntries(versions.map((v) => [v.hash, v.files])), activations };
}

/** The versions with when each was first seen and every time it came into force, newest first. */
export async function listPolicyVersions(db: DbOrTx) {
  const versions = await db
    .select({
      hash: authorityPolicyVersions.hash,
      firstSeenAt: authorityPolicyVersions.firstSeenAt,
      files: authorityPolicyVersions.files,
    })
    .from(authorityPolicyVersions);
  const activations = await db
    .select()
    .from(authorityPolicyActivations)
    .orderBy(asc(authorityPolicyActivations.at));
  const current = activations[activations.length - 1]?.hash ?? null;
  return versions
    .map((v) => ({
      hash: v.hash,
      firstSeenAt: v.firstSeenAt,
      files: Object.keys(v.files).sort(),
      activations: activations.filter((a) => a.hash === v.hash).map((a) => ({ at: a.at, actor: a.actor })),
      current: v.hash === current,
    }))
    .sort((a, b) => b.firstSeenAt.getTime() - a.firstSeenAt.getTime());
}

/** One version's files (name to text), or null. */
export async function getPolicyVersion(db: DbOrTx, hash: string) {
  const [v] = await db.select().from(authorityPolicyVersions).where(eq(authorityPolicyVersions.hash, hash));
  return v ?? null;
}

/** The hash of the latest activation, or null when none was recorded yet. */
export async function currentPolicyHash(db: DbOrTx): Promise<string | null> {
  const [latest] = await db
    .select({ hash: authorityPolicyActivations.hash })
    .from(authorityPolicyActivations)
    .orderBy(desc(authorityPolicyActivations.at), desc(authorityPolicyActivations.id))
    .limit(1);
  return latest?.hash ?? null;
}
