/**
 * The registry of issued documents: gap-free numbers per prefix and year, SHA-256 of each PDF,
 * and the public verify page and API.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficialDocument } from '../../src/documents/index.ts';
import {
  findIssuedDocument,
  issueDocument,
  nextDocumentNumber,
  registerIssuedDocument,
  verifyIssuedDocument,
} from '../../src/documents/registry.ts';
import { testApp } from '../helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

const doc = (number: string): OfficialDocument => ({
  organ: '泉州市住房和城乡建设局',
  number,
  title: '关于测试的处理决定',
  date: '2026-03-02',
  locale: 'zh-CN',
  blocks: [{ kind: 'paragraph', text: '测试正文。' }],
  verifyUrl: `http://127.0.0.1:3000/verify/${encodeURIComponent(number)}`,
});

describe('document numbers', () => {
  it('count per prefix and year, from 1, without gaps when an issue rolls back', async () => {
    const take = (prefix: string, year: number) =>
      t.db.transaction((tx) => nextDocumentNumber(tx, { prefix, year }));
    expect((await take('泉建纪', 2026)).number).toBe('泉建纪〔2026〕1号');
    expect((await take('泉建纪', 2026)).number).toBe('泉建纪〔2026〕2号');
    await expect(
      t.db.transaction(async (tx) => {
        expect((await nextDocumentNumber(tx, { prefix: '泉建纪', year: 2026 })).number).toBe(
          '泉建纪〔2026〕3号',
        );
        throw new Error('rendering failed');
      }),
    ).rejects.toThrow('rendering failed');
    expect((await take('泉建纪', 2026)).number).toBe('泉建纪〔2026〕3号');
    expect((await take('泉建纪', 2027)).number).toBe('泉建纪〔2027〕1号');
    expect((await take('泉建核', 2026)).number).toBe('泉建核〔2026〕1号');
  });

  it('concurrent issuers get distinct consecutive numbers', async () => {
    const numbers = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.db.transaction((tx) => nextDocumentNumber(tx, { prefix: '并发', year: 2026 })),
      ),
    );
    expect(numbers.map((n) => n.seq).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('issuing and verifying', () => {
  let pdf: Buffer;
  let number: string;
  it('issues: number printed, PDF hashed and kept', async () => {
    const issued = await t.db.transaction((tx) =>
      issueDocument(
        tx,
        { prefix: '测试纪', year: 2026, kind: 'test', ref: 'test:1', issuedOn: '2026-03-02', build: doc },
        'test',
      ),
    );
    number = issued.number;
    pdf = issued.pdf;
    expect(number).toBe('测试纪〔2026〕1号');
    expect(issued.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    expect(await findIssuedDocument(t.db, number)).toMatchObject({
      kind: 'test',
      ref: 'test:1',
      sha256: issued.sha256,
      supersededBy: null,
    });
  });

  it('tells an authentic copy from an altered one, by bytes or by hash', async () => {
    expect(await verifyIssuedDocument(t.db, number, { pdf })).toMatchObject({
      exists: true,
      authentic: true,
    });
    const altered = Buffer.from(pdf);
    altered[altered.length - 10] ^= 1;
    expect(await verifyIssuedDocument(t.db, number, { pdf: altered })).toMatchObject({
      exists: true,
      authentic: false,
    });
    const sha = createHash('sha256').update(pdf).digest('hex').toUpperCase();
    expect((await verifyIssuedDocument(t.db, number, { sha256: ` ${sha} ` })).authentic).toBe(true);
    expect(await verifyIssuedDocument(t.db, '测试纪〔2026〕99号', { pdf })).toMatchObject({
      exists: false,
      authentic: false,
    });
    await expect(verifyIssuedDocument(t.db, number, { sha256: 'abc' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('answers the public verify API without login', async () => {
    const enc = encodeURIComponent(number);
    const info = await t.app.request(`/api/verify/${enc}`);
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({
      number,
      exists: true,
      sha256: createHash('sha256').update(pdf).digest('hex'),
    });
    const none = await t.app.request(`/api/verify/${encodeURIComponent('无〔2026〕1号')}`);
    expect(await none.json()).toMatchObject({ exists: false, sha256: null });

    const form = new FormData();
    form.set('file', new File([pdf], 'copy.pdf', { type: 'application/pdf' }));
    const byForm = await t.app.request(`/api/verify/${enc}`, { method: 'POST', body: form });
    expect(await byForm.json()).toMatchObject({ authentic: true });
    const byJson = await t.app.request(`/api/verify/${enc}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sha256: '0'.repeat(64) }),
    });
    expect(await byJson.json()).toMatchObject({ authentic: false });
    const bad = await t.app.request(`/api/verify/${enc}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(bad.status).toBe(415);
    const noHash = await t.app.request(`/api/verify/${enc}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sha256: 'xyz' }),
    });
    expect(noHash.status).toBe(400);
  });

  it('shows the verify page in Chinese and English, and checks an uploaded copy', async () => {
    const enc = encodeURIComponent(number);
    const zh = await (await t.app.request(`/verify/${enc}`)).text();
    expect(zh).toContain('该文号已签发');
    expect(zh).toContain(createHash('sha256').update(pdf).digest('hex'));
    const en = await (await t.app.request(`/verify/${enc}?lang=en`)).text();
    expect(en).toContain('This number was issued');
    const missing = await (await t.app.request(`/verify/${encodeURIComponent('无〔2026〕1号')}`)).text();
    expect(missing).toContain('未查到该文号');
    const form = new FormData();
    form.set('file', new File([pdf], 'copy.pdf'));
    const ok = await (await t.app.request(`/verify/${enc}`, { method: 'POST', body: form })).text();
    expect(ok).toContain('data-authentic="true"');
    const f2 = new FormData();
    f2.set('sha256', '1'.repeat(64));
    const no = await (await t.app.request(`/verify/${enc}`, { method: 'POST', body: f2 })).text();
    expect(no).toContain('data-authentic="false"');
    const empty = await t.app.request(`/verify/${enc}`, { method: 'POST', body: new FormData() });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('choose the PDF');
  });

  it('records which document supersedes another', async () => {
    await t.db.transaction(async (tx) => {
      const { number: n2, seq } = await nextDocumentNumber(tx, { prefix: '测试纪', year: 2026 });
      await registerIssuedDocument(
        tx,
        {
          number: n2,
          prefix: '测试纪',
          year: 2026,
          seq,
          kind: 'test',
          title: '复核',
          sha256: 'a'.repeat(64),
          issuedOn: '2026-03-05',
          supersedes: number,
        },
        'test',
      );
    });
    expect((await findIssuedDocument(t.db, number))?.supersededBy).toBe('测试纪〔2026〕2号');
    const page = await (await t.app.request(`/verify/${encodeURIComponent(number)}`)).text();
    expect(page).toContain('测试纪〔2026〕2号');
    await expect(
      t.db.transaction((tx) =>
        registerIssuedDocument(
          tx,
          {
            number: 'x',
            prefix: 'x',
            year: 2026,
            seq: 1,
            kind: 'test',
            title: 't',
            sha256: 'b'.repeat(64),
            issuedOn: '2026-03-05',
            supersedes: 'nope',
          },
          'test',
        ),
      ),
    ).rejects.toMatchObject({ code: 'UNPROCESSABLE' });
  });
});
