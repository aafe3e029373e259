/**
 * Verification failures reach misconduct: the referral job opens one matter per failure of a
 * finished run (idempotently across re-runs), an `authorized` failure joins the matter the ledger's
 * denial opened instead of a second one, and verification's pending list empties as they are taken.
 */

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestCaseRecords } from '../../src/cases/index.ts';
import { queryRows } from '../../src/db/client.ts';
import { pullReferrals, referFailure } from '../../src/misconduct/index.ts';
import {
  listFailuresForReferral,
  pendingReferrals,
  runVerification,
  settledRunId,
} from '../../src/verification/index.ts';
import { type Line, STAFF, story } from '../cases/support.ts';
import { get, type MisconductTestApp, misconductApp } from './support.ts';

const TZ = 'Asia/Shanghai';
const AS_OF = new Date('2026-04-01T00:00:00+08:00');
/** SG-002: committed 2 working days from acceptance on Monday 2 March, so due 4 March. */
const steps = (done: string, reviewer: string = STAFF.review): [string, string, string?][] => [
  ['2026-03-02T09:20:00+08:00', 'receipt'],
  ['2026-03-02T10:00:00+08:00', 'accept'],
  ['2026-03-03', 'review', reviewer],
  [`${done}T10:00:00+08:00`, 'approve'],
  [`${done}T10:05:00+08:00`, 'seal'],
  [`${done}T10:10:00+08:00`, 'complete'],
  [`${done}T16:00:00+08:00`, 'announce'],
];
let t: MisconductTestApp;

beforeAll(async () => {
  t = await misconductApp();
  const lines: Line[] = [
    ...story('VR-LATE', steps('2026-03-06'), { itemCode: 'SG-002' }),
    // Reviewed by the announcement clerk, who holds no review grant: denied at ingestion.
    ...story('VR-UNAUTH', steps('2026-03-04', STAFF.announce), { itemCode: 'SG-002' }),
    ...story('VR-CLEAN', steps('2026-03-04'), { itemCode: 'SG-002' }),
  ];
  await ingestCaseRecords(t.database, lines, { actor: 'test', source: 'test', timeZone: TZ, now: AS_OF });
});
afterAll(() => t?.close());

const verify = () =>
  runVerification(t.db, {
    caseNos: ['VR-LATE', 'VR-UNAUTH', 'VR-CLEAN'],
    actor: 'test',
    timeZone: TZ,
    asOf: AS_OF,
  });

describe('verification failures as referrals', () => {
  it('opens a matter per failure, and one matter for an act outside authority found twice', async () => {
    await verify();
    const failures = (await listFailuresForReferral(t.db)).items;
    expect(failures.map((f) => f.ref)).toEqual([
      'verification:VR-LATE:timely',
      'verification:VR-UNAUTH:authorized',
    ]);
    expect((await pendingReferrals(t.db)).total).toBe(2);

    const r = await pullReferrals(t.db, { today: '2026-04-01' });
    // The ledger's denial (VR-UNAUTH#3) is registered first; the authorized failure finds it.
    expect(r.authority).toEqual({ seen: 1, created: 1 });
    expect(r.verification).toEqual({ seen: 2, created: 1 });

    const list = await get(t, '/api/misconduct/matters?source=verification,authority', t.as.inspector);
    const rows = list.json.rows.map((m: any) => [m.source, m.cases[0], m.staff, m.faultType]);
    expect(rows.sort()).toEqual([
      ['authority', 'VR-UNAUTH', [STAFF.announce], 'unauthorised-action'],
      ['verification', 'VR-LATE', [STAFF.approve], 'late-completion'],
    ]);
    const late = list.json.rows.find((m: any) => m.source === 'verification');
    const d = await get(t, `/api/misconduct/matters/${late.id}`, t.as.inspector);
    expect(d.json.matter.sourceRef).toBe('verification:VR-LATE:timely');
    expect(d.json.matter.facts).toMatch(
      /^核查发现（第\d+次核查）：案件 VR-LATE，限时办结：办结于2026-03-06, 超出承诺时限2个工作日/,
    );
    expect((await pendingReferrals(t.db)).total).toBe(0);
  });

  it('a re-run finding the same failures opens nothing new', async () => {
    await verify();
    const r = await pullReferrals(t.db, { today: '2026-04-02' });
    expect(r.verification).toEqual({ seen: 2, created: 0 });
    expect((await pendingReferrals(t.db)).total).toBe(0);
    // Runs already pulled are not read again (the next pull asks only about later runs).
    expect((await pullReferrals(t.db, { today: '2026-04-02' })).verification).toEqual({
      seen: 0,
      created: 0,
    });
  });

  it('keeps how far it pulled in the database, so a restarted server goes on from there', async () => {
    const mark = async () =>
      (
        await queryRows<{ up_to: number }>(
          t.db,
          sql`select up_to from misconduct_pull_marks where source = 'verification'`,
        )
      )[0]?.up_to;
    const settled = await settledRunId(t.db);
    expect(await mark()).toBe(settled);
    // Taken back by hand, the next pull reads every run again: the two failures (each found by
    // both runs, one ref each) are seen again, and nothing new is opened.
    await t.db.execute(sql`update misconduct_pull_marks set up_to = 0`);
    expect((await pullReferrals(t.db, { today: '2026-04-02' })).verification).toEqual({
      seen: 2,
      created: 0,
    });
    expect(await mark()).toBe(settled);
  });

  it('leaves the failures of a run still going for a later pull', async () => {
    const { run } = await verify();
    expect(await settledRunId(t.db)).toBe(run.id);
    await t.db.execute(
      sql`update verification_run_status set status = 'running' where run_id = ${run.id - 1}`,
    );
    try {
      expect(await settledRunId(t.db)).toBe(run.id - 2);
    } finally {
      await t.db.execute(
        sql`update verification_run_status set status = 'done' where run_id = ${run.id - 1}`,
      );
    }
  });

  it('an inspector referring an authorized failure by hand lands on the denial matter', async () => {
    const [item] = (await listFailuresForReferral(t.db)).items.filter((i) => i.check === 'authorized');
    const list = await get(t, '/api/misconduct/matters?source=authority', t.as.inspector);
    const r = await referFailure(t.db, item, 'user:insp-wang', { today: '2026-04-02' });
    expect(r).toMatchObject({ id: list.json.rows[0].id, created: false });
  });
});
