import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/index.ts';
import { loadDemoMatters } from '../../src/misconduct/demo.ts';
import { complaintStatus } from '../../src/misconduct/intake.ts';
import { listMatters } from '../../src/misconduct/views.ts';
import { testApp } from '../helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
  await loadDemo(t.db, { today: '2026-03-02' });
});
afterAll(() => t?.close());

describe('loadDemoMatters', () => {
  it('leaves one matter at each stage, once', async () => {
    const r = await loadDemoMatters(t.db, { today: '2026-03-02' });
    expect(r.created).toBe(4);
    const { rows } = await listMatters(t.db, {}, '2026-03-02');
    expect(rows.map((m) => m.state).sort()).toEqual(['investigating', 'notified', 'proposed', 'registered']);
    expect((await complaintStatus(t.db, r.trackingCode!)).status).toBe('received');
    expect((await loadDemoMatters(t.db, { today: '2026-03-02' })).created).toBe(0);
  });
});
