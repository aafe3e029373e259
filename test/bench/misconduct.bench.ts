/**
 * Misconduct: grading throughput (a pure function, against a bare loop over the same inputs),
 * public complaint intake (validation, registration, tracking code, audit) against a plain insert
 * of the same rows, and one leader decision with its PDF document.
 */
import { demoOrg } from '../../src/demo/org.ts';
import { grade } from '../../src/misconduct/grade.ts';
import { fileComplaint, registerMatter } from '../../src/misconduct/intake.ts';
import { misconductPolicy } from '../../src/misconduct/policy.ts';
import { misconductMatters } from '../../src/misconduct/schema.ts';
import {
  assignMatter,
  decideMatter,
  proposeMatter,
  startInvestigation,
} from '../../src/misconduct/workflow.ts';
import { importOrg } from '../../src/org/service.ts';
import { createUser } from '../../src/platform/auth.ts';
import { type BenchRow, benchDatabase, rate, timeMs } from './harness.ts';

export async function bench(): Promise<BenchRow[]> {
  const policy = misconductPolicy();
  const inputs = Array.from({ length: 100_000 }, (_, i) => ({
    faultType: policy.faultTypes[i % policy.faultTypes.length].code,
    severity: policy.severities[i % policy.severities.length].code,
    factors: policy.factors.filter((_f, j) => (i >> j) & 1).map((f) => f.code),
    priorLevels: i % 3 ? [{ decidedOn: '2025-09-01', level: 2 }] : [],
    on: '2026-03-02',
  }));
  let sink = 0;
  const loop = await timeMs(() => {
    for (const x of inputs) sink += x.factors.length + x.priorLevels.length;
  });
  const graded = await timeMs(() => {
    for (const x of inputs) sink += grade(policy, x).lines.length;
  });

  const t = await benchDatabase();
  try {
    await importOrg(t.db, demoOrg(1), { actor: 'bench', today: '2026-01-05' });
    const n = 300;
    const form = {
      kind: 'complaint',
      facts: '窗口工作人员态度生硬，推诿扯皮，要求多次往返。',
      anonymous: true,
    };
    const plain = await timeMs(async () => {
      for (let i = 0; i < n; i++)
        await t.db.insert(misconductMatters).values({
          kind: 'complaint',
          source: 'public',
          facts: form.facts,
          state: 'registered',
          stageSince: '2026-03-02',
          receivedOn: '2026-03-02',
          createdBy: 'bench',
        });
    });
    const filed = await timeMs(async () => {
      for (let i = 0; i < n; i++) await fileComplaint(t.db, form, { today: '2026-03-02', policy });
    });

    await createUser(
      t.db,
      { name: 'insp', role: 'inspector', staffNo: 'S036', password: 'bench password' },
      'bench',
    );
    const insp = {
      who: { kind: 'user' as const, name: 'insp', role: 'inspector' as const, staffNo: 'S036' },
      today: '2026-03-02',
      policy,
      publicUrl: 'http://127.0.0.1:3000',
    };
    const lead = {
      ...insp,
      who: { kind: 'user' as const, name: 'lead', role: 'leader' as const, staffNo: 'S002' },
    };
    const { id } = await registerMatter(
      t.db,
      { source: 'verification', sourceRef: 'bench', staff: ['S026', 'S009'], facts: 'bench' },
      'bench',
      { today: '2026-03-02', policy },
    );
    await assignMatter(t.db, insp, id, { inspector: 'insp' });
    await startInvestigation(t.db, insp, id);
    await proposeMatter(t.db, insp, id, { faultType: 'late-completion', summary: 'bench' });
    const decided = await timeMs(() => decideMatter(t.db, lead, id, {}));
    return [
      {
        name: 'misconduct grade (100k inputs)',
        figure: rate(inputs.length, graded),
        unit: 'grades/s',
        baseline: rate(inputs.length, loop),
        note: `bare loop as baseline; ${sink > 0 ? 'ok' : ''}`,
      },
      {
        name: 'misconduct public complaint intake',
        figure: rate(n, filed),
        unit: 'complaints/s',
        baseline: rate(n, plain),
        note: 'plain insert of the matter row as baseline',
      },
      { name: 'misconduct decision with 2 PDF documents', figure: Math.round(decided), unit: 'ms' },
    ].map((r) => ({ ...r, ...(r.baseline ? { ratio: r.figure / r.baseline } : {}) }));
  } finally {
    await t.close();
  }
}
