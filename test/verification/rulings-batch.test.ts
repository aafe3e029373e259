/**
 * Rulings issued as a batch (issueRulings over many cases): consecutive, unique numbers; each
 * stored hash is the hash of the stored bytes; one audit entry per ruling; and all or nothing per
 * transaction.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import { verifyIssuedDocument } from '../../src/documents/registry.ts';
import { issueRulings, rulingPdf, runVerification } from '../../src/verification/index.ts';
import { AS_OF, ingest, ledgerApp, story, TZ } from './support.ts';

let t: Awaited<ReturnType<typeof ledgerApp>>;
let runId: number;

/** Completed late and never announced: fails at least the timeliness check. */
const late: [string, string][] = [
  ['2026-03-02T09:20:00+08:00', 'receipt'],
  ['2026-03-02T10:00:00+08:00', 'accept'],
  ['2026-03-03T10:00:00+08:00', 'review'],
  ['2026-03-06T10:00:00+08:00', 'approve'],
  ['2026-03-06T10:05:00+08:00', 'seal'],
  ['2026-03-06T10:10:00+08:00', 'complete'],
];
const CASES = Array.from({ length: 8 }, (_, i) => `RB-${String(i + 1).padStart(2, '0')}`);

const issue = (locale: 'zh-CN' | 'en') =>
  issueRulings(t.db, {
    runId,
    caseNos: CASES,
    locale,
    inspector: 'S036',
    actor: 'user:inspector',
    publicUrl: 'https://neikong.example.gov.cn',
    timeZone: TZ,
    issuedOn: '2026-04-02',
  });

const counts = async () =>
  (
    await queryRows<{ docs: number; audit: number; rulings: number }>(
      t.db,
      sql`select (select count(*)::int from issued_documents) as docs,
                 (select count(*)::int from audit_log where action = 'document.issue') as audit,
                 (select count(*)::int from verification_rulings) as rulings`,
    )
  )[0];

beforeAll(async () => {
  t = await ledgerApp();
  await ingest(
    t,
    CASES.flatMap((c) => story(c, late, { itemCode: 'SG-002' })),
  );
  ({
    run: { id: runId },
  } = await runVerification(t.db, { caseNos: CASES, actor: 'test', timeZone: TZ, asOf: AS_OF }));
});
afterAll(() => t?.close());

describe('a batch of rulings', () => {
  it('is numbered consecutively and uniquely, one ruling row per case', async () => {
    const issued = await issue('zh-CN');
    expect(issued.map((r) => r.caseNo)).toEqual(CASES);
    expect(issued.map((r) => r.number)).toEqual(CASES.map((_, i) => `泉建核〔2026〕${i + 1}号`));
    expect(issued.every((r) => r.created)).toBe(true);
    const rows = await queryRows<{ case_no: string; number: string; failures: number }>(
      t.db,
      sql`select case_no, number, failures from verification_rulings where run_id = ${runId} order by case_no`,
    );
    expect(rows.map((r) => [r.case_no, r.number])).toEqual(issued.map((r) => [r.caseNo, r.number]));
    expect(rows.every((r) => r.failures > 0)).toBe(true);
    // Asking again gives the same rulings and takes no number.
    expect((await issue('zh-CN')).map((r) => ({ ...r, created: true }))).toEqual(issued);
  });

  it('stores each with the hash of its bytes, and the verify check refuses a changed byte', async () => {
    const rows = await queryRows<{ number: string; sha256: string }>(
      t.db,
      sql`select number, sha256 from verification_rulings where run_id = ${runId}`,
    );
    for (const r of rows) {
      const { pdf, ruling } = (await rulingPdf(t.db, r.number))!;
      expect(createHash('sha256').update(pdf).digest('hex')).toBe(r.sha256);
      expect(ruling.sha256).toBe(r.sha256);
      expect((await verifyIssuedDocument(t.db, r.number, { pdf })).authentic).toBe(true);
      const changed = Buffer.from(pdf);
      changed[changed.length >> 1] ^= 0x20;
      expect((await verifyIssuedDocument(t.db, r.number, { pdf: changed })).authentic).toBe(false);
    }
  });

  it('audits every ruling issued', async () => {
    const audit = await queryRows<{ entity_id: string; actor: string }>(
      t.db,
      sql`select entity_id, actor from audit_log where action = 'document.issue' order by id`,
    );
    expect(audit.map((a) => a.entity_id)).toEqual(CASES.map((_, i) => `泉建核〔2026〕${i + 1}号`));
    expect(audit.every((a) => a.actor === 'user:inspector')).toBe(true);
  });

  it('stores nothing when the batch fails after its documents were written', async () => {
    const before = await counts();
    // The ruling rows are written last: refusing the sixth fails the batch at its very end.
    await t.db.execute(
      sql.raw(`create or replace function zz_refuse_ruling() returns trigger language plpgsql as $$
        begin
          if new.case_no = 'RB-06' and new.locale = 'en' then raise exception 'refused for the test'; end if;
          return new;
        end $$`),
    );
    await t.db.execute(
      sql.raw(
        'create trigger zz_refuse_ruling before insert on verification_rulings for each row execute function zz_refuse_ruling()',
      ),
    );
    try {
      const err = (await issue('en').catch((e: unknown) => e)) as Error;
      expect(`${err?.message} ${(err?.cause as Error | undefined)?.message}`).toContain(
        'refused for the test',
      );
    } finally {
      await t.db.execute(sql.raw('drop trigger zz_refuse_ruling on verification_rulings'));
      await t.db.execute(sql.raw('drop function zz_refuse_ruling()'));
    }
    expect(await counts()).toEqual(before);
    // No number was used up: the next batch carries on from 9.
    const again = await issue('en');
    expect(again.map((r) => r.number)).toEqual(CASES.map((_, i) => `泉建核〔2026〕${i + 9}号`));
  });

  it('issues a large batch a few at a time: a failure keeps what the earlier transactions issued', async () => {
    const { run } = await runVerification(t.db, { caseNos: CASES, actor: 'test', timeZone: TZ, asOf: AS_OF });
    const batch = () =>
      issueRulings(t.db, {
        runId: run.id,
        caseNos: CASES,
        locale: 'zh-CN',
        inspector: 'S036',
        actor: 'user:inspector',
        publicUrl: 'https://neikong.example.gov.cn',
        timeZone: TZ,
        issuedOn: '2026-04-02',
        perTransaction: 3,
      });
    const before = await counts();
    await t.db.execute(
      sql.raw(`create or replace function zz_refuse_ruling() returns trigger language plpgsql as $$
        begin
          if new.case_no = 'RB-05' then raise exception 'refused for the test'; end if;
          return new;
        end $$`),
    );
    await t.db.execute(
      sql.raw(
        'create trigger zz_refuse_ruling before insert on verification_rulings for each row execute function zz_refuse_ruling()',
      ),
    );
    try {
      await expect(batch()).rejects.toBeTruthy();
    } finally {
      await t.db.execute(sql.raw('drop trigger zz_refuse_ruling on verification_rulings'));
      await t.db.execute(sql.raw('drop function zz_refuse_ruling()'));
    }
    // RB-01..03 (the first transaction) stand; RB-04..06 (the failed one) left nothing.
    expect(await counts()).toEqual({
      docs: before.docs + 3,
      audit: before.audit + 3,
      rulings: before.rulings + 3,
    });
    const done = await batch();
    expect(done.map((r) => r.created)).toEqual(CASES.map((_, i) => i >= 3));
    expect(done.map((r) => r.number)).toEqual(CASES.map((_, i) => `泉建核〔2026〕${i + 17}号`));
  });
});
