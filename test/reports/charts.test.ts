/**
 * Charts: deterministic SVG without inline styles or shared ids, CJK labels, and drawn into the
 * PDF (read back with poppler) through the documents renderer.
 */
import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../src/documents/index.ts';
import { barChart, cleanSvg, pieChart, trendChart } from '../../src/reports/charts.ts';
import { pdfPages } from '../documents/poppler.ts';

const trend = () =>
  trendChart({
    id: 'trend',
    title: '近十二个月收件、办结与按时办结率',
    categories: ['25-04', '25-05', '25-06'],
    bars: [
      { name: '收件', data: [10, 20, 30] },
      { name: '办结', data: [9, 19, 28] },
    ],
    lines: [{ name: '按时办结率', data: [100, 95.5, null] }],
    countAxis: '件',
    percentAxis: '比率',
  });

describe('charts', () => {
  it('are the same bytes every time, whatever was drawn before', () => {
    const a = trend();
    pieChart({ id: 'x', title: 'x', slices: [{ name: 'a', value: 1 }] });
    expect(trend().svg).toBe(a.svg);
    expect(a).toMatchObject({ width: 640, height: 320 });
  });

  it('carry no inline style, no script, and ids of their own', () => {
    const a = trend();
    const b = barChart({
      id: 'levels',
      title: '处理等级',
      categories: ['第1级', '第2级'],
      series: [{ name: '人次', data: [3, 1] }],
      horizontal: true,
    });
    for (const svg of [a.svg, b.svg]) {
      expect(svg).toMatch(/^<svg /);
      expect(svg).not.toContain('style=');
      expect(svg).not.toContain('<style');
      expect(svg).not.toMatch(/<script|\son[a-z]+=/i);
      expect(svg).not.toMatch(/\bzr\d+-/);
    }
    expect(a.svg).toContain('id="trend-c0"');
    expect(b.svg).not.toContain('trend-');
    expect(a.svg).toContain('<title>近十二个月收件、办结与按时办结率</title>');
    expect(a.svg).toContain('>收件</text>');
  });

  it('turn styles into attributes and drop text halos the PDF cannot draw', () => {
    const raw =
      '<svg width="10" height="10"><text style="font-size:12px;font-family:sans-serif;cursor:pointer;" class="zr7-cls-0" ecmeta_series_index="0">a</text>' +
      '<text fill="#333" stroke="#fff" stroke-width="2" paint-order="stroke">b</text><style><![CDATA[.zr7-cls-0:hover{}]]></style><clipPath id="zr7-c0"></clipPath></svg>';
    expect(cleanSvg(raw, 'k', 't')).toBe(
      '<svg width="10" height="10" role="img" aria-label="t"><title>t</title><text font-size="12px" font-family="sans-serif">a</text>' +
        '<text fill="#333">b</text><clipPath id="k-c0"></clipPath></svg>',
    );
  });

  it('are drawn in the PDF with their Chinese labels', async () => {
    const { pdf } = await renderPdf({
      organ: '泉州市建设局',
      title: '图表',
      date: '2026-03-02',
      locale: 'zh-CN',
      blocks: [
        { kind: 'svg', ...trend(), caption: '图1 办件走势' },
        {
          kind: 'svg',
          ...pieChart({
            id: 'p',
            title: '窗口事项的办理方式',
            slices: [
              { name: '网上办理', value: 36 },
              { name: '仅窗口办理', value: 10 },
            ],
          }),
        },
      ],
    });
    const text = pdfPages(pdf).join('').replace(/\s+/g, '');
    expect(text).toContain('近十二个月收件、办结与按时办结率');
    expect(text).toContain('图1办件走势');
    expect(text).toContain('网上办理');
    expect(text).toContain('36(78.26%)');
  });
});
