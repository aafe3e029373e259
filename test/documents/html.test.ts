import { describe, expect, it } from 'vitest';
import { DocumentError, type OfficialDocument, renderHtml } from '../../src/documents/index.ts';
import { SAMPLE_NUMBER, SAMPLE_URL, sampleRuling, sampleWithTable } from './sample.ts';

const text = (html: string) =>
  html
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/<svg[\s\S]*?<\/svg>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, '');

describe('renderHtml', () => {
  it('renders the same structure as the PDF, in document order', () => {
    const html = renderHtml(sampleRuling());
    expect(html.startsWith('<!doctype html>\n<html lang="zh-CN">')).toBe(true);
    const order = [
      '<p class="nk-marker" style="font-size:40pt">泉州市住房和城乡建设局</p>',
      `<p class="nk-number">${SAMPLE_NUMBER}</p>`,
      '<hr class="nk-rule">',
      '<h1 class="nk-title">关于QZ-2026-000123号案件办理情况的核查意见书</h1>',
      '<p class="nk-addressee">张明华同志：</p>',
      '<h2 class="nk-h nk-h1">一、核查情况</h2>',
      '<table class="nk-kv"><tbody><tr><th scope="row">案件编号</th><td>QZ-2026-000123</td></tr>',
      '<h3 class="nk-h nk-h2">（一）时限情况</h3>',
      '<h2 class="nk-h nk-h1">二、核查意见</h2>',
      '<h4 class="nk-h nk-h3">1.整改要求</h4>',
      '<figcaption>扫码核验真伪</figcaption>',
      '<p class="nk-date">2026年3月2日</p>',
      '<footer class="nk-footer">',
      '<div><span>泉州市住房和城乡建设局办公室</span><span>2026年3月2日印发</span></div>',
    ];
    let at = -1;
    for (const part of order) {
      const next = html.indexOf(part);
      expect(next, part).toBeGreaterThan(at);
      at = next;
    }
  });

  it('is self-contained: inline CSS and SVG, no scripts, no external assets', () => {
    const html = renderHtml(sampleRuling());
    expect(html.match(/<style>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    // The only link is the verify URL itself, around the inline QR code.
    expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual([SAMPLE_URL]);
    expect(html).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="-1 -1 \d+ \d+"/);
  });

  it('is deterministic and has a fragment form', () => {
    expect(renderHtml(sampleRuling())).toBe(renderHtml(structuredClone(sampleRuling())));
    const fragment = renderHtml(sampleRuling(), { fragment: true });
    expect(fragment.startsWith('<style>')).toBe(true);
    expect(fragment).toContain('<article class="nk-doc" lang="zh-CN">');
    expect(fragment).not.toContain('<html');
  });

  it('carries every table row with a header that repeats when printed', () => {
    const html = renderHtml(sampleWithTable(30));
    expect(html).toContain('<caption>表1  窗口工作人员轮岗计划</caption>');
    expect(html).toContain('<colgroup><col style="width:10.00%"><col style="width:16.67%">');
    expect(html).toContain('<thead><tr><th scope="col">序号</th><th scope="col">姓名</th>');
    expect(html.match(/<tr><td class="nk-c">/g)).toHaveLength(30);
    expect(html).toContain('thead{display:table-header-group}');
  });

  it('escapes text and keeps line breaks', () => {
    const doc: OfficialDocument = {
      ...sampleRuling(),
      title: '关于<script>alert("x")</script>的\n核查意见书',
      blocks: [{ kind: 'paragraph', text: 'A & B\n第二行' }],
    };
    const html = renderHtml(doc);
    expect(html).not.toContain('<script>');
    expect(html).toContain('关于&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;的<br>核查意见书');
    expect(html).toContain('<title>关于&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;的核查意见书（');
    expect(html).toContain('<p class="nk-p">A &amp; B<br>第二行</p>');
  });

  it('includes SVG pictures (charts), which the PDF leaves out', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200"><rect width="400" height="200"/></svg>';
    const html = renderHtml({
      ...sampleRuling(),
      blocks: [
        { kind: 'svg', svg: `<?xml version="1.0"?>\n${svg}`, width: 400, height: 200, caption: '图1 办件量' },
      ],
    });
    expect(html).toContain(
      `<figure style="max-width:400px">${svg}<figcaption>图1 办件量</figcaption></figure>`,
    );
  });

  it('numbers headings per locale and lets a heading go unnumbered', () => {
    const doc: OfficialDocument = {
      ...sampleRuling('en'),
      blocks: [
        { kind: 'heading', level: 1, text: 'Facts' },
        { kind: 'heading', level: 2, text: 'Time' },
        { kind: 'heading', level: 3, text: 'Detail' },
        { kind: 'heading', level: 4, text: 'Point' },
        { kind: 'heading', level: 2, text: 'Notice' },
        { kind: 'heading', level: 1, text: 'Annex', numbered: false },
        { kind: 'heading', level: 1, text: 'Ruling' },
        { kind: 'heading', level: 2, text: 'Remedy' },
      ],
    };
    expect(text(renderHtml(doc))).toContain(
      '1.Facts1.1Time1.1.1Detail(a)Point1.2NoticeAnnex2.Ruling2.1Remedy',
    );
    const zh = renderHtml({
      ...sampleRuling(),
      blocks: [
        { kind: 'heading', level: 2, text: '甲' },
        { kind: 'heading', level: 4, text: '乙' },
        { kind: 'heading', level: 1, text: '丙' },
        ...Array.from({ length: 10 }, () => ({ kind: 'heading' as const, level: 2 as const, text: '丁' })),
      ],
    });
    expect(text(zh)).toContain('（一）甲（1）乙二、丙（一）丁');
    expect(text(zh)).toContain('（十）丁');
  });

  it('refuses what the PDF refuses', () => {
    expect(() => renderHtml({ ...sampleRuling(), locale: 'fr' as 'en' })).toThrow(DocumentError);
    expect(() =>
      renderHtml({
        ...sampleRuling(),
        blocks: [{ kind: 'svg', svg: '<svg><script>x()</script></svg>', width: 1, height: 1 }],
      }),
    ).toThrow(/blocks\[0\]\.svg/);
  });
});
