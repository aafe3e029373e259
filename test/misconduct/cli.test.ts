import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDemo } from '../../src/demo/index.ts';
import { misconductCommands } from '../../src/misconduct/cli.ts';
import { testApp } from '../helpers.ts';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp();
  await loadDemo(t.db, { today: '2026-03-02' });
});
afterAll(() => t?.close());

async function run(name: string, args: string[] = []) {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => {
    out.push(String(s));
    return true;
  });
  try {
    const code = await misconductCommands[name](t.deps, args);
    return { code, json: JSON.parse(out.join('')) };
  } finally {
    spy.mockRestore();
  }
}

describe('neikong misconduct …', () => {
  it('pull, close and erase run as jobs and print what they did', async () => {
    expect(await run('misconduct pull', ['--since', '2026-01-01'])).toEqual({
      code: 0,
      json: {
        red_card: { seen: 0, created: 0 },
        authority: { seen: 0, created: 0 },
        verification: { seen: 0, created: 0 },
      },
    });
    expect(await run('misconduct close')).toEqual({ code: 0, json: { closed: [] } });
    expect(await run('misconduct erase')).toEqual({ code: 0, json: { erased: [] } });
  });
});
