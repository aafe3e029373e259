/**
 * Rulings (核查意见书): issued through the API with per-year, gap-free numbers, stored with the
 * SHA-256 of their bytes; the text read back from the PDF (poppler, as a reader would) holds the
 * expected Chinese; the font is embedded and subset; the public verify page accepts the stored
 * ruling and rejects a copy with one byte changed.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDate } from '../../src/platform/time.ts';
import { runVerification } from '../../src/verification/index.ts';
import { pdfFonts } from '../documents/poppler.ts';
import { jsonHeaders, loginAs } from '../helpers.ts';
import { AS_OF, ingest, ledgerApp, story, TZ } from './support.ts';

let t: Awaited<ReturnType<typeof ledgerApp>>;
let inspector: Record<string, string>;
let runId: number;
const year = Number(localDate(new Date(), TZ).slice(0, 4));

const steps = (done: string, announce: boolean): [string, string][] => [
  ['2026-03-02T09:20:00+08:00', 'receipt'],
  ['2026-03-02T10:00:00+08:00', 'accept'],
  ['2026-03-03T10:00:00+08:00', 'review'],
  [`${done}T10:00:00+08:00`, 'approve'],
  [`${done}T10:05:00+08:00`, 'seal'],
  [`${done}T10:10:00+08:00`, 'complete'],
  ...(announce ? ([[`${done}T16:00:00+08:00`, 'announce']] as [string, string][]) : []),
];

/**
 * The text of a PDF as poppler reads it in drawing order (-raw keeps a wrapped table cell's lines
 * together, where the layout mode interleaves neighbouring cells).
 */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'nk-ruling-'));
  try {
    writeFileSync(join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-raw', '-enc', 'UTF-8', join(dir, 'r.pdf'), '-'], {
      encoding: 'utf8',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
/** With all white space removed (cells wrap anywhere). */
const flat = (pdf: Buffer) => pdfText(pdf).replace(/\s+/g, '');
const squeeze = (s: string) => s.replace(/\s+/g, '');

async function issue(body: Record<string, unknown>) {
  const res = await t.app.request(`/api/verification/runs/${runId}/rulings`, {
    method: 'POST',
    headers: inspector,
    body: JSON.stringify(body),
  });
  return { res, body: (await res.json()) as any };
}

async function pdfOf(number: string) {
  const res = await t.app.request(`/api/verification/rulings/${encodeURIComponent(number)}/pdf`, {
    headers: inspector,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  return Buffer.from(await res.arrayBuffer());
}

beforeAll(async () => {
  t = await ledgerApp();
  inspector = { ...(await loginAs(t, 'inspector', { staffNo: 'S036' })), ...jsonHeaders };
  await ingest(t, [
    ...story('RL-LATE', steps('2026-03-06', false), { itemCode: 'SG-002' }),
    ...story('RL-CLEAN', steps('2026-03-04', true), { itemCode: 'SG-002' }),
    ...story('RL-NOANN', steps('2026-03-04', false), { itemCode: 'SG-002' }),
  ]);
  ({
    run: { id: runId },
  } = await runVerification(t.db, {
    caseNos: ['RL-LATE', 'RL-CLEAN', 'RL-NOANN'],
    actor: 'test',
    timeZone: TZ,
    asOf: AS_OF,
  }));
});
afterAll(() => t?.close());

describe('issuing', () => {
  let late: { number: string; sha256: string };
  it('numbers rulings per year without gaps, once per case and language', async () => {
    const first = await issue({ failing: true, limit: 1 });
    expect(first.res.status).toBe(201);
    expect(first.body.rulings).toHaveLength(1);
    late = first.body.rulings[0];
    expect(first.body.rulings[0]).toMatchObject({
      caseNo: 'RL-LATE',
      number: `泉建核〔${year}〕1号`,
      created: true,
    });
    const clean = await issue({ caseNos: ['RL-CLEAN'] });
    expect(clean.body.rulings[0]).toMatchObject({ number: `泉建核〔${year}〕2号`, created: true });
    const again = await issue({ caseNos: ['RL-LATE'] });
    expect(again.body.rulings[0]).toEqual({ ...late, created: false });
    const en = await issue({ caseNos: ['RL-LATE'], locale: 'en' });
    expect(en.body.rulings[0]).toMatchObject({ number: `泉建核〔${year}〕3号`, created: true });
  });

  it('stores the SHA-256 of the bytes it serves', async () => {
    const pdf = await pdfOf(late.number);
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(late.sha256);
    const list = await t.app.request(`/api/verification/rulings?runId=${runId}`, { headers: inspector });
    const { rulings } = (await list.json()) as any;
    expect(rulings.map((r: any) => r.number).sort()).toEqual(
      [`泉建核〔${year}〕1号`, `泉建核〔${year}〕2号`, `泉建核〔${year}〕3号`].sort(),
    );
  });

  it('refuses a case the run did not verify, and asks for cases or failing', async () => {
    const { res } = await issue({ caseNos: ['NOT-IN-RUN'] });
    expect(res.status).toBe(422);
    const none = await issue({});
    expect(none.res.status).toBe(400);
  });
});

describe('what a ruling says', () => {
  it('holds the case, each check with its basis, the conclusion, the shares and the signature, in Chinese', async () => {
    const { body } = await issue({ caseNos: ['RL-LATE'] });
    const pdf = await pdfOf(body.rulings[0].number);
    const text = flat(pdf);
    for (const expected of [
      '泉州市住房和城乡建设局',
      `泉建核〔${year}〕1号`,
      '关于RL-LATE号案件办理情况的核查意见书',
      '建筑工程施工许可证变更（SG-002）',
      '办结于2026-03-06,超出承诺时限2个工作日(承诺期限2026-03-04)',
      '办结于2026-03-06,未办结公告',
      '限时办结',
      '不符合',
      '限时办结制、限时快办制；《行政许可法》第四十二条',
      '经核查，该案件有2项不符合规定：限时办结、办结公告。',
      '庄秀英（S010）直接责任超过承诺时限办结第1级：当年不予评优评先',
      '罗志强（S016）直接责任办结未公告第1级：当年不予评优评先',
      '郭磊（S009）主要领导责任超过承诺时限办结、办结未公告不予处理',
      '核查人：',
      '扫码核验真伪',
    ]) {
      expect(text, expected).toContain(squeeze(expected));
    }
    // The approver completed the case late: one share for one person, the heaviest.
    expect(text).not.toContain('重要领导责任');
    // The timeline: every step, with who acted.
    expect(text).toContain(squeeze('1 2026-03-02 09:20 收件回执 张金龙（S026） 回执号 R-RL-LATE'));
    expect(text).toContain(squeeze('4 2026-03-06 10:00 准予许可 庄秀英（S010）'));
  });

  it('apportions handler, reviewer and approver (直接、主要领导、重要领导责任)', async () => {
    const { body } = await issue({ caseNos: ['RL-NOANN'] });
    const text = flat(await pdfOf(body.rulings[0].number));
    expect(text).toContain(squeeze('罗志强（S016）直接责任办结未公告第1级：当年不予评优评先'));
    expect(text).toContain(squeeze('郭磊（S009）主要领导责任办结未公告不予处理'));
    expect(text).toContain(squeeze('庄秀英（S010）重要领导责任办结未公告不予处理'));
  });

  it('embeds the CJK font as a subset', async () => {
    const { body } = await issue({ caseNos: ['RL-LATE'] });
    const fonts = pdfFonts(await pdfOf(body.rulings[0].number));
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) expect(f).toMatchObject({ emb: true, sub: true });
  });

  it('finds nothing to hold anyone responsible for in a clean case', async () => {
    const { body } = await issue({ caseNos: ['RL-CLEAN'] });
    const text = flat(await pdfOf(body.rulings[0].number));
    expect(text).toContain('经核查，该案件办理符合规定，未发现问题。');
    expect(text).not.toContain('责任认定与处理建议');
  });

  it('speaks English when asked', async () => {
    const { body } = await issue({ caseNos: ['RL-LATE'], locale: 'en' });
    const text = pdfText(await pdfOf(body.rulings[0].number)).replace(/\s+/g, ' ');
    expect(text).toContain('Verification ruling on the handling of case RL-LATE');
    expect(text).toContain('Direct responsibility');
    expect(text).toContain('Conclusion');
  });
});

describe('the public verify page', () => {
  it('accepts the stored ruling and rejects a copy with one byte changed', async () => {
    const { body } = await issue({ caseNos: ['RL-LATE'] });
    const number = body.rulings[0].number as string;
    const pdf = await pdfOf(number);
    const path = `/api/verify/${encodeURIComponent(number)}`;
    const ok = await t.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: pdf,
    });
    expect(await ok.json()).toMatchObject({ number, exists: true, authentic: true });
    const forged = Buffer.from(pdf);
    forged[Math.floor(forged.length / 2)] ^= 0x01;
    const bad = await t.app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: forged,
    });
    expect(await bad.json()).toMatchObject({ number, exists: true, authentic: false });
    // By hash, as a person holding only the printout's number and a hash would.
    const byHash = await t.app.request(path, {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ sha256: body.rulings[0].sha256 }),
    });
    expect(await byHash.json()).toMatchObject({ authentic: true });
  });

  it('shows the page anyone reaches from the QR code, and judges an uploaded copy', async () => {
    const { body } = await issue({ caseNos: ['RL-LATE'] });
    const number = body.rulings[0].number as string;
    const page = await t.app.request(`/verify/${encodeURIComponent(number)}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(number);
    expect(html).toContain(body.rulings[0].sha256);
    const pdf = await pdfOf(number);
    pdf[100] ^= 0x20;
    const form = new FormData();
    form.set('file', new File([pdf], 'ruling.pdf', { type: 'application/pdf' }));
    const checked = await t.app.request(`/verify/${encodeURIComponent(number)}`, {
      method: 'POST',
      body: form,
    });
    expect(await checked.text()).toContain('核验未通过');
  });
});
