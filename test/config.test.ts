import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('config', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'nk-config-'));

  it('has defaults: embedded database in ./data, port 3000, Shanghai time', () => {
    const c = loadConfig({ DATA_DIR: dir() });
    expect(c).toMatchObject({ databaseUrl: undefined, port: 3000, timeZone: 'Asia/Shanghai' });
  });

  it('generates a session secret once and keeps it in DATA_DIR', () => {
    const d = dir();
    const a = loadConfig({ DATA_DIR: d });
    const b = loadConfig({ DATA_DIR: d });
    expect(a.sessionSecret).toHaveLength(64);
    expect(b.sessionSecret).toBe(a.sessionSecret);
    expect(readFileSync(join(d, 'session-secret'), 'utf8')).toBe(a.sessionSecret);
  });

  it('stops on a wrong value, naming every variable at fault', () => {
    const run = () =>
      loadConfig({ DATA_DIR: dir(), PORT: 'abc', DATABASE_URL: 'mysql://x', BUREAU_TZ: 'Mars/Base' });
    expect(run).toThrow(ConfigError);
    try {
      run();
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toMatch(/PORT:/);
      expect(msg).toMatch(/DATABASE_URL: must start with postgres/);
      expect(msg).toMatch(/BUREAU_TZ: not an IANA time zone/);
    }
  });

  it('takes the bureau zone from TZ unless it is UTC', () => {
    expect(loadConfig({ DATA_DIR: dir(), TZ: 'Asia/Urumqi' }).timeZone).toBe('Asia/Urumqi');
    expect(loadConfig({ DATA_DIR: dir(), TZ: 'UTC' }).timeZone).toBe('Asia/Shanghai');
  });
});
