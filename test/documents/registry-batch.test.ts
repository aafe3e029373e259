/**
 * Issuing documents in a batch: consecutive numbers taken at once, each PDF stored with the
 * SHA-256 of its bytes, one audit entry each, and all or nothing.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.ts';
import type { OfficialDocument } from '../../src/documents/index.ts';
import {
  issueDocuments,
  issuedDocumentPdf,
  nextDocumentNumber,
  verifyIssuedDocument,
} from '../../src/documents/registry.ts';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { testDeps } from '../helpers.ts';

let t: Awaited<ReturnType<typeof testDeps>>;
beforeAll(async () => {
  t = await testDeps();
});
afterAll(() => t?.close());

const doc = (number: string, i: number): OfficialDocument => ({
  organ: '泉州市住房和城乡建设局',
  number,
  title: `关于第${i}件的核查意见书`,
  date: '2026-03-02',
  locale: 'zh-CN',
  blocks: [{ kind: 'paragraph', text: `第${i}件：经核查，该案件超过承诺时限。` }],
  verifyUrl: `https://neikong.example.gov.cn/verify/${encodeURIComponent(number)}`,
});

/** More than one multi-row INSERT's worth, so the batch spans several. */
const N = 120;

const issue = (prefix: string, count: number, fail?: number) =>
  t.db.transaction((tx) =>
    issueDocuments(
      tx,
      {
        prefix,
        year: 2026,
        kind: 'test',
        issuedOn: '2026-03-02',
        items: Array.from({ length: count }, (_, i) => ({
          ref: `test:${i}`,
          build: (number: string) => {
            if (i === fail) throw new Error(`rendering ${number} failed`);
            return doc(number, i);
          },
        })),
      },
      'test',
    ),
  );

describe('issueDocuments', () => {
  it('numbers a batch consecutively, once each, after what was issued before', async () => {
    await t.db.transaction((tx) => nextDocumentNumber(tx, { prefix: '批量', year: 2026 }));
    const issued = await issue('批量', N);
    expect(issued.map((d) => d.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 2));
    expect(issued.map((d) => d.number)).toEqual(
      Array.from({ length: N }, (_, i) => `批量〔2026〕${i + 2}号`),
    );
    const rows = await queryRows<{ n: number; distinct: number; min: number; max: number }>(
      t.db,
      sql`select count(*)::int as n, count(distinct seq)::int as distinct, min(seq) as min, max(seq) as max
          from issued_documents where prefix = '批量'`,
    );
    expect(rows[0]).toEqual({ n: N, distinct: N, min: 2, max: N + 1 });
    const next = await t.db.transaction((tx) => nextDocumentNumber(tx, { prefix: '批量', year: 2026 }));
    expect(next.seq).toBe(N + 2);
  });

  it('stores each PDF with the SHA-256 of its bytes; the verify check takes it and refuses a changed byte', async () => {
    const rows = await queryRows<{ number: string; sha256: string; size: number; ref: string }>(
      t.db,
      sql`select number, sha256, size, ref from issued_documents where prefix = '批量' order by seq`,
    );
    for (const [i, r] of rows.entries()) {
      const pdf = (await issuedDocumentPdf(t.db, r.number))!;
      expect(createHash('sha256').update(pdf).digest('hex')).toBe(r.sha256);
      expect(pdf.byteLength).toBe(r.size);
      expect(r.ref).toBe(`test:${i}`);
    }
    const number = rows[70].number;
    const pdf = (await issuedDocumentPdf(t.db, number))!;
    expect((await verifyIssuedDocument(t.db, number, { pdf })).authentic).toBe(true);
    const changed = Buffer.from(pdf);
    changed[Math.floor(changed.length / 2)] ^= 1;
    expect((await verifyIssuedDocument(t.db, number, { pdf: changed })).authentic).toBe(false);
  });

  it('writes one audit entry per document, in a chain that still verifies', async () => {
    const audit = await queryRows<{ entity_id: string }>(
      t.db,
      sql`select entity_id from audit_log where action = 'document.issue' and entity_id like '批量%' order by id`,
    );
    expect(audit.map((a) => a.entity_id)).toEqual(
      Array.from({ length: N }, (_, i) => `批量〔2026〕${i + 2}号`),
    );
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('stores nothing when one document fails mid-batch, not even the rows already written', async () => {
    const before = await queryRows<{ docs: number; audit: number }>(
      t.db,
      sql`select (select count(*)::int from issued_documents) as docs,
                 (select count(*)::int from audit_log) as audit`,
    );
    // Item 80 fails after the first INSERTs (50 rows each) went through.
    await expect(issue('批量', N, 80)).rejects.toThrow(/rendering 批量〔2026〕\d+号 failed/);
    const after = await queryRows<{ docs: number; audit: number }>(
      t.db,
      sql`select (select count(*)::int from issued_documents) as docs,
                 (select count(*)::int from audit_log) as audit`,
    );
    expect(after).toEqual(before);
    const next = await t.db.transaction((tx) => nextDocumentNumber(tx, { prefix: '批量', year: 2026 }));
    expect(next.seq).toBe(N + 3);
  });
});
