/**
 * The referral job pulls red cards and actions outside authority from the case ledger through its
 * exported reads, registering one matter each, idempotently.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCaseRecords, raiseRedCards } from '../../src/cases/index.ts';
import { registerMatter } from '../../src/misconduct/intake.ts';
import { pullReferrals } from '../../src/misconduct/referrals.ts';
import { type Line, STAFF, story } from '../cases/support.ts';
import { expectStatus, get, type MisconductTestApp, misconductApp, post } from './support.ts';

const TZ = 'Asia/Shanghai';
const at = (d: string) => new Date(`${d}T12:00:00+08:00`);
let t: MisconductTestApp;

beforeAll(async () => {
  t = await misconductApp();
  const lines: Line[] = [
    // Accepted on 2 March, never completed: red, then a red card after the follow-up period.
    ...story('R-RED', [
      ['2026-03-02', 'receipt'],
      ['2026-03-02', 'accept'],
    ]),
    // The special seal on an item that needs the official seal: outside authority.
    ...story('R-SEAL', [
      ['2026-03-02', 'receipt'],
      ['2026-03-02', 'accept'],
      ['2026-03-03', 'approve'],
      ['2026-03-03T11:00:00+08:00', 'seal', STAFF.approve, { seal: 'special' }],
    ]),
  ];
  await ingestCaseRecords(t.database, lines, {
    actor: 'test',
    source: 'test',
    timeZone: TZ,
    now: at('2026-03-03'),
  });
  await raiseRedCards(t.db, at('2026-03-20'), { timeZone: TZ });
});
afterAll(() => t?.close());

describe('pullReferrals', () => {
  it('registers a matter per red card and per action outside authority', async () => {
    const r = await pullReferrals(t.db, { today: '2026-03-20' });
    // Neither case was completed, so both got a red card.
    expect(r).toEqual({
      red_card: { seen: 2, created: 2 },
      authority: { seen: 1, created: 1 },
      verification: { seen: 0, created: 0 },
    });
    const list = await get(t, '/api/misconduct/matters?source=red_card,authority', t.as.inspector);
    const key = (m: any) => `${m.source}:${m.cases[0]}`;
    const bySource = Object.fromEntries(list.json.rows.map((m: any) => [key(m), m]));
    expect(Object.keys(bySource).sort()).toEqual(['authority:R-SEAL', 'red_card:R-RED', 'red_card:R-SEAL']);
    bySource.red_card = bySource['red_card:R-RED'];
    bySource.authority = bySource['authority:R-SEAL'];
    expect(bySource.red_card).toMatchObject({
      cases: ['R-RED'],
      staff: [STAFF.accept],
      faultType: 'red-card-unresolved',
      kind: 'dereliction',
    });
    expect(bySource.authority).toMatchObject({
      cases: ['R-SEAL'],
      staff: [STAFF.approve],
      faultType: 'unauthorised-action',
      kind: 'irregular',
    });
    const d = await get(t, `/api/misconduct/matters/${bySource.authority.id}`, t.as.inspector);
    expect(d.json.matter.sourceRef).toBe('R-SEAL#4');
    expect(d.json.matter.facts).toContain('R-SEAL');
  });

  it('takes nothing twice', async () => {
    expect(await pullReferrals(t.db, { today: '2026-03-21' })).toEqual({
      red_card: { seen: 2, created: 0 },
      authority: { seen: 1, created: 0 },
      verification: { seen: 0, created: 0 },
    });
    const again = await post(t, '/api/misconduct/referrals/pull', t.as.inspector);
    expectStatus(again, 200);
    expect(again.json.red_card.created).toBe(0);
  });

  it('registerMatter is idempotent per source and reference, and needs the reference for referrals', async () => {
    const input = {
      source: 'verification' as const,
      sourceRef: 'finding:42',
      staff: [STAFF.accept],
      cases: ['R-RED'],
      facts: '未一次性告知',
    };
    const a = await registerMatter(t.db, input, 'test', { today: '2026-03-20' });
    const b = await registerMatter(t.db, { ...input, facts: 'different text' }, 'test', {
      today: '2026-03-21',
    });
    expect(a.created).toBe(true);
    expect(b).toEqual({ id: a.id, created: false, receivedOn: '2026-03-20' });
    await expect(registerMatter(t.db, { ...input, sourceRef: undefined }, 'test')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'sourceRef', message: expect.stringContaining('reference') }],
    });
    await expect(
      registerMatter(t.db, { ...input, sourceRef: 'x', staff: ['S999'], faultType: 'nope' }, 'test'),
    ).rejects.toMatchObject({
      errors: [
        { path: 'faultType', message: 'unknown fault type nope' },
        { path: 'staff[0]', message: 'no staff S999' },
      ],
    });
  });
});
