/**
 * `neikong import cases FILE`: streams the file, progress on stderr, summary JSON on stdout;
 * a bad file stores nothing, lists the bad lines on stderr and exits 1.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importCasesCommand } from '../../src/cases/cli.ts';
import { run } from '../../src/cli.ts';
import { caseLine, ev, ledgerApp, ndjson, STAFF, story } from './support.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: any) => {
    out.push(String(s));
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: any) => {
    err.push(String(s));
    return true;
  });
  return {
    out: () => out.join(''),
    err: () => err.join(''),
    restore: () => {
      o.mockRestore();
      e.mockRestore();
    },
  };
}

describe('neikong import cases', () => {
  let t: Awaited<ReturnType<typeof ledgerApp>>;
  const dir = mkdtempSync(join(tmpdir(), 'neikong-cases-cli-'));
  beforeAll(async () => {
    t = await ledgerApp();
  });
  afterAll(() => t.close());

  it('streams a file and prints what was stored, with progress on stderr', async () => {
    // Progress is reported every 100,000 lines while reading, and once when checking starts.
    const file = join(dir, 'events.ndjson');
    const lines = [];
    for (let i = 0; i < 2_501; i++)
      lines.push(
        ...story(`CLI-${i}`, [
          ['2026-03-02', 'receipt'],
          ['2026-03-02', 'accept'],
          ['2026-03-03', 'review'],
        ]),
      );
    writeFileSync(file, ndjson(lines));
    const io = capture();
    let code: number;
    try {
      code = await importCasesCommand(t.deps, [file]);
    } finally {
      io.restore();
    }
    expect(code).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({
      lines: 10_004,
      cases: { new: 2_501 },
      events: { new: 7_503 },
    });
    expect(io.err()).toMatch(/read 10,004 lines; checking/);
    expect(io.err()).toMatch(/done/);
  });

  it('a bad file stores nothing, lists its bad lines on stderr and exits 1', async () => {
    const base = process.env.DATABASE_URL;
    const env = { ...process.env };
    let drop: (() => Promise<void>) | undefined;
    if (base) {
      const name = `neikong_t_${randomBytes(5).toString('hex')}`;
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      await admin.end();
      const url = new URL(base);
      url.pathname = `/${name}`;
      process.env.DATABASE_URL = url.toString();
      drop = async () => {
        const a = postgres(base, { max: 1, onnotice: () => {} });
        await a.unsafe(`drop database if exists ${name} with (force)`);
        await a.end();
      };
    }
    process.env.DATA_DIR = join(dir, 'data');
    process.env.SESSION_SECRET = 'x'.repeat(32);
    const file = join(dir, 'bad.ndjson');
    writeFileSync(
      file,
      ndjson([
        caseLine('CLI-BAD'),
        ev('CLI-BAD', 1, '2026-03-02', 'receipt', 'S999', { receiptNo: 'R1' }),
        ev('CLI-BAD', 3, '2026-03-02', 'accept', STAFF.accept),
      ]),
    );
    const io = capture();
    try {
      expect(await run(['demo'])).toBe(0);
      expect(await run(['import', 'cases', file])).toBe(1);
      expect(io.err()).toMatch(/2 bad lines; nothing was stored/);
      expect(io.err()).toMatch(/line 2: actor S999 is not staff/);
      expect(io.err()).toMatch(/line 3: seq 3 of case CLI-BAD follows a gap: seq 2 is missing/);
    } finally {
      io.restore();
      process.env = env;
      await drop?.();
    }
  });
});
