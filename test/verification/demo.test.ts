/**
 * The demo bureau's planted faults are all found, and nothing else is: a few hundred generated
 * cases (src/demo/cases.ts) go through ingestion, a run covers them, and its failures must equal
 * the generator's list, case by case and check by check, naming the staff the generator names.
 * A month's run finds exactly the planted faults of the cases in its scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCalendar } from '../../src/calendar/index.ts';
import { ingestCaseRecords } from '../../src/cases/index.ts';
import { type CaseLine, generateDemoCases, type PlantedFault } from '../../src/demo/cases.ts';
import { loadDemo } from '../../src/demo/index.ts';
import { exportOrg } from '../../src/org/service.ts';
import { allFindings, type FindingRow, runVerification } from '../../src/verification/index.ts';
import { testApp } from '../helpers.ts';

const TZ = 'Asia/Shanghai';
const NOW = new Date('2026-05-15T00:00:00+08:00');

let t: Awaited<ReturnType<typeof testApp>>;
let lines: CaseLine[];
let faults: PlantedFault[];

beforeAll(async () => {
  t = await testApp();
  await loadDemo(t.db, { seed: 1, today: '2026-01-02' });
  const org = await exportOrg(t.db);
  const generated = generateDemoCases({
    seed: 3,
    cases: 400,
    from: '2026-01-05',
    to: '2026-04-30',
    org,
    calendar: getCalendar(),
    faultRate: 0.12,
  });
  lines = [...generated.lines];
  faults = generated.faults;
  await ingestCaseRecords(t.database, lines, { actor: 'demo', source: 'test', timeZone: TZ, now: NOW });
});
afterAll(() => t?.close());

async function failures(runId: number): Promise<FindingRow[]> {
  const out: FindingRow[] = [];
  for await (const r of allFindings(t.db, runId, { failuresOnly: true })) out.push(r);
  return out;
}
const key = (caseNo: string, check: string) => `${caseNo} ${check}`;

describe('the demo bureau', () => {
  it('has planted faults of every kind the generator knows', () => {
    expect(faults.length).toBeGreaterThan(30);
    expect(new Set(faults.map((f) => f.check))).toEqual(
      new Set(['timely', 'one-notice', 'refusal-filed', 'authorized', 'receipt', 'announced', 'tolerance']),
    );
  });

  it('a run over everything finds every planted fault and nothing else, naming the same staff', async () => {
    const { run, status } = await runVerification(t.db, {
      from: '2026-01-01',
      to: '2026-05-14',
      actor: 'test',
      timeZone: TZ,
      asOf: NOW,
    });
    expect(status.status).toBe('done');
    const found = await failures(run.id);
    expect(found.map((f) => key(f.caseNo, f.check)).sort()).toEqual(
      faults.map((f) => key(f.caseNo, f.check)).sort(),
    );
    const byKey = new Map(found.map((f) => [key(f.caseNo, f.check), f]));
    for (const f of faults)
      expect(byKey.get(key(f.caseNo, f.check))?.staff, key(f.caseNo, f.check)).toContain(f.staff);
    for (const f of found) expect(f.detail.length).toBeGreaterThan(5);
  });

  it("a month's run finds exactly the planted faults of the cases completed, returned or notified in it", async () => {
    const inMarch = new Set<string>();
    for (const l of lines) {
      if (l.type !== 'event') continue;
      if (!['complete', 'return', 'notify_supplement'].includes(l.action)) continue;
      const day = new Date(l.at).toLocaleDateString('en-CA', { timeZone: TZ });
      if (day >= '2026-03-01' && day <= '2026-03-31') inMarch.add(l.caseNo);
    }
    const { run, status } = await runVerification(t.db, {
      from: '2026-03-01',
      to: '2026-03-31',
      actor: 'test',
      timeZone: TZ,
      asOf: NOW,
    });
    expect(status.cases).toBe(inMarch.size);
    const found = await failures(run.id);
    const expected = faults.filter((f) => inMarch.has(f.caseNo)).map((f) => key(f.caseNo, f.check));
    expect(expected.length).toBeGreaterThan(5);
    expect(found.map((f) => key(f.caseNo, f.check)).sort()).toEqual(expected.sort());
  });
});
