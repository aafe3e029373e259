import { describe, expect, it } from 'vitest';
import {
  chineseNumeral,
  formatChineseDate,
  formatDocDate,
  formatDocNumber,
  formatEnglishDate,
} from '../../src/documents/index.ts';

describe('document dates', () => {
  it('writes the 成文日期 in Arabic numerals without padding (GB/T 9704 7.3.5.1)', () => {
    expect(formatChineseDate('2026-03-02')).toBe('2026年3月2日');
    expect(formatChineseDate('2026-12-31')).toBe('2026年12月31日');
    expect(formatDocDate('2026-03-02', 'zh-CN')).toBe('2026年3月2日');
  });

  it('writes English dates day month year', () => {
    expect(formatEnglishDate('2026-03-02')).toBe('2 March 2026');
    expect(formatDocDate('2026-11-20', 'en')).toBe('20 November 2026');
  });

  it('refuses dates that do not exist or are not YYYY-MM-DD', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-3-2', '20260302', '', '2026-03-02T00:00']) {
      expect(() => formatChineseDate(bad), bad).toThrow(RangeError);
    }
    expect(formatChineseDate('2028-02-29')).toBe('2028年2月29日');
  });
});

describe('document numbers', () => {
  it('writes 发文字号 with 六角括号 and no padding zeros (GB/T 9704 7.2.4)', () => {
    expect(formatDocNumber('泉建核', 2026, 12)).toBe('泉建核〔2026〕12号');
    expect(() => formatDocNumber('泉建核', 2026, 0)).toThrow(RangeError);
  });

  it('writes heading numbers in Chinese numerals', () => {
    const cases: [number, string][] = [
      [1, '一'],
      [9, '九'],
      [10, '十'],
      [11, '十一'],
      [20, '二十'],
      [21, '二十一'],
      [100, '一百'],
      [105, '一百零五'],
      [110, '一百一十'],
      [1010, '一千零一十'],
    ];
    for (const [n, text] of cases) expect(chineseNumeral(n), String(n)).toBe(text);
  });
});
