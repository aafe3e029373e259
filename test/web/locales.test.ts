/**
 * The UI strings: both locale files hold the same keys with the same placeholders, every key the
 * web pages use exists, and dates and tenure read as users expect in each language.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectRoot } from '../../src/paths.ts';
import { roleNames } from '../../src/platform/roles.ts';
import {
  flatten,
  formatDate,
  formatDateTime,
  formatTenure,
  localeFile,
  type locales,
  monthsBetween,
  strings,
  translator,
} from '../../src/web/i18n.ts';
import { navSections } from '../../src/web/registry.ts';

const keysOf = (locale: (typeof locales)[number]) => flatten(parse(readFileSync(localeFile(locale), 'utf8')));
const zh = keysOf('zh-CN');
const en = keysOf('en');

describe('locale files', () => {
  it('have the same keys: none missing in either', () => {
    const missingInEn = [...zh.keys()].filter((k) => !en.has(k));
    const missingInZh = [...en.keys()].filter((k) => !zh.has(k));
    expect(missingInEn, 'keys in zh-CN.yaml but not in en.yaml').toEqual([]);
    expect(missingInZh, 'keys in en.yaml but not in zh-CN.yaml').toEqual([]);
    expect(zh.size).toBeGreaterThan(200);
  });

  it('use the same placeholders for each key', () => {
    const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const differ = [...zh.keys()].filter(
      (k) => en.has(k) && params(zh.get(k)!).join() !== params(en.get(k)!).join(),
    );
    expect(differ).toEqual([]);
  });

  it('have no empty strings, and Chinese text uses full-width punctuation', () => {
    for (const [k, s] of [...zh, ...en]) expect(s.trim(), k).not.toBe('');
    // A half-width comma, semicolon or parenthesis right after a Chinese character is a typo.
    const typos = [...zh]
      .filter(([, s]) => /[\u4e00-\u9fff][,;(]|[,;)][\u4e00-\u9fff]/.test(s))
      .map(([k]) => k);
    expect(typos).toEqual([]);
  });

  it('a missing key shows itself rather than failing the page', () => {
    expect(translator('zh-CN')('no.such.key')).toBe('no.such.key');
    expect(translator('en')('pager.summary', { from: 1, to: 50, total: 120 })).toBe('1–50 of 120');
  });
});

/** Every source file under src/web (and pages other modules register anywhere under src/). */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(full));
    else if (/\.tsx?$/.test(e.name)) out.push(full);
  }
  return out;
}

describe('keys used by the pages', () => {
  const namespaces = [...new Set([...zh.keys()].map((k) => k.split('.')[0]))];
  // Any quoted literal that starts with a locale namespace is a key: t('x'), label="x", navKey: 'x'.
  const literal = new RegExp(`['"\`]((?:${namespaces.join('|')})\\.[A-Za-z0-9_.-]+)['"\`]`, 'g');

  it('every literal key in src/web exists in both files', () => {
    const used = new Map<string, string>();
    for (const file of sources(join(projectRoot, 'src/web'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(literal)) {
        if (!/\.(ts|tsx|css|js|svg|yaml)$/.test(m[1])) used.set(m[1], file);
      }
    }
    expect(used.size).toBeGreaterThan(150);
    const missing = [...used].filter(([k]) => !zh.has(k) || !en.has(k)).map(([k, f]) => `${k} (${f})`);
    expect(missing).toEqual([]);
  });

  it('every navKey and descKey registered anywhere in src exists in both files', () => {
    const keys: string[] = [];
    for (const file of sources(join(projectRoot, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:navKey|descKey):\s*'([^']+)'/g))
        keys.push(m[1]);
    }
    expect(keys.length).toBeGreaterThan(5);
    expect(keys.filter((k) => !zh.has(k) || !en.has(k))).toEqual([]);
  });

  it('keys built from data exist for every value the code can produce', () => {
    const families = [
      ...roleNames.map((r) => `role.${r}`),
      ...navSections.map((s) => `nav.section.${s}`),
      ...['instant', 'committed', 'joint'].map((k) => `items.kinds.${k}`),
      ...['section', 'institution'].map((k) => `org.departmentKind.${k}`),
      ...['bureau', 'departments', 'windows', 'posts', 'staff', 'assignments', 'absences', 'items'].map(
        (l) => `import.lists.${l}`,
      ),
      ...['name', 'role', 'password', 'staffNo', 'exists'].map((f) => `users.error.${f}`),
      ...['name', 'role'].map((f) => `tokens.error.${f}`),
      ...['actor', 'action', 'entity'].flatMap((k) => [`audit.${k}`, `audit.${k}Hint`]),
    ];
    expect(families.filter((k) => !zh.has(k) || !en.has(k))).toEqual([]);
  });
});

describe('dates and tenure', () => {
  it('dates read 2026年3月2日 in Chinese and 2 March 2026 in English', () => {
    expect(formatDate('2026-03-02', 'zh-CN')).toBe('2026年3月2日');
    expect(formatDate('2026-03-02', 'en')).toBe('2 March 2026');
    expect(formatDate(null, 'en')).toBe('');
  });

  it('instants are shown in the bureau time zone', () => {
    // 17:30 UTC on 1 March is already 2 March in Shanghai.
    const at = new Date('2026-03-01T17:30:00Z');
    expect(formatDateTime(at, 'zh-CN', 'Asia/Shanghai')).toBe('2026年3月2日 01:30');
    expect(formatDateTime(at, 'en', 'Asia/Shanghai')).toBe('2 March 2026 01:30');
    expect(formatDateTime(at, 'en', 'Europe/London')).toBe('1 March 2026 17:30');
  });

  it('tenure counts whole months from the start date', () => {
    expect(monthsBetween('2021-03-01', '2026-03-02')).toBe(60);
    expect(monthsBetween('2021-03-15', '2026-03-14')).toBe(59);
    expect(monthsBetween('2026-03-02', '2026-03-02')).toBe(0);
    expect(monthsBetween('2027-01-01', '2026-03-02')).toBe(0);
    const zhT = translator('zh-CN');
    const enT = translator('en');
    expect(formatTenure(62, zhT)).toBe('5年2个月');
    expect(formatTenure(24, zhT)).toBe('2年');
    expect(formatTenure(5, enT)).toBe('5 mo');
    expect(formatTenure(0, zhT)).toBe('不满1个月');
  });

  it('strings are read once per locale', () => {
    expect(strings('zh-CN')).toBe(strings('zh-CN'));
  });
});
