/**
 * OfficialDocument -> HTML: the same structure as the PDF (marker, number, red rule, title, body,
 * signature, QR, 版记) as a self-contained page: CSS inline in one <style>, the QR code an inline
 * SVG, no scripts, no external fonts or images. Every class is under `.nk-doc`, so the fragment
 * form can sit inside another page without its styles leaking either way.
 */
import { QR_SIZE, TEXT_WIDTH } from './layout.ts';
import type { DocLocale, OfficialDocument, TableBlock } from './model.ts';
import { type PreparedBlock, prepare } from './prepare.ts';
import { qrSvg } from './qr.ts';

export interface HtmlOptions {
  /** true: only `<style>` + `<article>`, to embed in another page; default a whole HTML page. */
  fragment?: boolean;
}

const VERIFY_CAPTION: Record<DocLocale, string> = { 'zh-CN': '扫码核验', en: 'Scan to verify' };

/**
 * Sizes in pt/mm mirror layout.ts (3号 = 16pt body, 2号 = 22pt title, text area 156 mm), so the
 * printed HTML looks like the PDF. System CJK fonts only: a 仿宋/宋体 face where the reader has
 * one, else the Noto/Source Han faces of most Linux desktops.
 */
const CSS = `
.nk-doc{--nk-red:#e60012;max-width:156mm;margin:0 auto;padding:8mm 0;color:#000;background:#fff;
font:16pt/1.8 "FangSong","FangSong_GB2312","仿宋","STFangsong","Noto Serif CJK SC","Source Han Serif SC","SimSun","Noto Sans CJK SC","Source Han Sans SC",serif}
.nk-doc[lang=en]{font-family:"Times New Roman","Noto Serif",serif}
.nk-doc p{margin:0}
.nk-doc .nk-marker{padding-top:24mm;text-align:center;color:var(--nk-red);font:bold 36pt/1.25 "SimHei","黑体","Noto Sans CJK SC","Source Han Sans SC",sans-serif}
.nk-doc .nk-number{margin:2em 0 0;text-align:center}
.nk-doc .nk-rule{border:0;border-top:1pt solid var(--nk-red);margin:4mm 0 0}
.nk-doc h1.nk-title{margin:2em 0 1em;text-align:center;font:bold 22pt/1.5 "SimHei","黑体","Noto Sans CJK SC","Source Han Sans SC",sans-serif}
.nk-doc .nk-p{text-indent:2em;text-align:justify}
.nk-doc[lang=en] .nk-p{text-indent:0}
.nk-doc .nk-h{margin:0;font-size:16pt;text-indent:2em;font-weight:normal}
.nk-doc[lang=en] .nk-h{text-indent:0}
.nk-doc .nk-h1{font-family:"SimHei","黑体","Noto Sans CJK SC","Source Han Sans SC",sans-serif;font-weight:bold}
.nk-doc .nk-h2{font-family:"KaiTi","楷体","STKaiti","AR PL UKai CN",serif}
.nk-doc table{width:100%;border-collapse:collapse;margin:.5em 0;font-size:12pt;line-height:1.5}
.nk-doc caption{font-weight:bold;padding-bottom:.3em}
.nk-doc th,.nk-doc td{border:.5pt solid #000;padding:3pt 4pt;vertical-align:top;text-align:left}
.nk-doc thead th{background:#eee;text-align:center}
.nk-doc .nk-kv th{white-space:nowrap;width:1%}
.nk-doc .nk-c{text-align:center}.nk-doc .nk-r{text-align:right}
.nk-doc figure{margin:.5em auto;text-align:center}
.nk-doc figure svg{max-width:100%;height:auto}
.nk-doc figcaption{font-size:12pt}
.nk-doc .nk-closing{display:flex;justify-content:space-between;align-items:flex-start;margin-top:1.8em;break-inside:avoid}
.nk-doc .nk-qr{margin:0;display:flex;align-items:center;gap:.5em;font-size:10.5pt;color:#333}
.nk-doc .nk-qr svg{display:block}
.nk-doc .nk-qr figcaption{white-space:nowrap}
.nk-doc .nk-qr a{color:inherit;text-decoration:none}
.nk-doc .nk-signature{margin-left:auto;margin-right:2em;text-align:left}
.nk-doc[lang=en] .nk-signature{margin-right:0;text-align:right}
.nk-doc .nk-date{padding-left:2em}
.nk-doc[lang=en] .nk-date{padding-left:0}
.nk-doc .nk-note{text-indent:2em}
.nk-doc[lang=en] .nk-note{text-indent:0}
.nk-doc .nk-footer{margin-top:3em;border-top:.35mm solid #000;border-bottom:.35mm solid #000;font-size:14pt;break-inside:avoid}
.nk-doc .nk-footer div{display:flex;justify-content:space-between;padding:.2em 1em}
.nk-doc .nk-footer div+div{border-top:.25mm solid #000}
@media print{.nk-doc{max-width:none;padding:0}.nk-doc thead{display:table-header-group}.nk-doc tr{break-inside:avoid}}
@page{size:A4;margin:37mm 26mm 35mm 28mm}
@page :right{@bottom-right{content:"— " counter(page) " —";font-size:14pt;padding-right:1em}}
@page :left{@bottom-left{content:"— " counter(page) " —";font-size:14pt;padding-left:1em}}
`
  .trim()
  .replace(/\n/g, '');

/**
 * Renders `doc` as HTML; a pure function of the document, so the same input gives the same text.
 *
 * @example
 * const html = renderHtml(doc);                        // a whole page, <!doctype html> ...
 * const part = renderHtml(doc, { fragment: true });    // <style> + <article class="nk-doc">
 */
export function renderHtml(doc: OfficialDocument, options: HtmlOptions = {}): string {
  const p = prepare(doc);
  const out: string[] = [];
  out.push(`<article class="nk-doc" lang="${doc.locale}">`);
  // The marker's size as in the PDF: up to 初号, smaller for a long name (estimated from its
  // characters, as the reader's font is unknown), wrapping rather than going below 2号.
  const markerPt = Math.max(22, Math.min(42, Math.floor(TEXT_WIDTH / emWidth(doc.organ))));
  out.push(`<header><p class="nk-marker" style="font-size:${markerPt}pt">${esc(doc.organ)}</p>`);
  if (doc.number) out.push(`<p class="nk-number">${esc(doc.number)}</p>`);
  out.push(`<hr class="nk-rule"></header>`);
  out.push(`<h1 class="nk-title">${lines(doc.title)}</h1>`);
  if (doc.addressee) out.push(`<p class="nk-addressee">${esc(doc.addressee)}</p>`);
  for (const block of p.blocks) out.push(blockHtml(block, doc.locale));

  const qr = doc.verifyUrl
    ? `<figure class="nk-qr"><a href="${esc(doc.verifyUrl)}">${qrSvg(doc.verifyUrl, Math.round((QR_SIZE * 25.4) / 72))}</a>` +
      `<figcaption>${esc(doc.verifyCaption ?? VERIFY_CAPTION[doc.locale])}</figcaption></figure>`
    : '';
  const sig = doc.signature
    ? `<div class="nk-signature"><p>${esc(doc.signature.organ)}</p>` +
      (doc.signature.signer ? `<p>${esc(doc.signature.signer)}</p>` : '') +
      `<p class="nk-date">${esc(p.signatureDate!)}</p></div>`
    : '';
  if (qr || sig) out.push(`<div class="nk-closing">${qr}${sig}</div>`);
  if (doc.note)
    out.push(`<p class="nk-note">${esc(doc.locale === 'zh-CN' ? `（${doc.note}）` : `(${doc.note})`)}</p>`);
  if (doc.footer?.length) {
    out.push('<footer class="nk-footer">');
    for (const line of doc.footer) {
      const [left, right] = typeof line === 'string' ? [line, ''] : line;
      out.push(`<div><span>${esc(left)}</span>${right ? `<span>${esc(right)}</span>` : ''}</div>`);
    }
    out.push('</footer>');
  }
  out.push('</article>');

  const body = out.join('\n');
  const style = `<style>${CSS}</style>`;
  if (options.fragment) return `${style}\n${body}\n`;
  return (
    `<!doctype html>\n<html lang="${doc.locale}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${esc(doc.number ? `${oneLine(doc)}（${doc.number}）` : oneLine(doc))}</title>\n${style}\n</head>\n<body>\n${body}\n</body>\n</html>\n`
  );
}

function blockHtml(b: PreparedBlock, locale: DocLocale): string {
  switch (b.kind) {
    case 'heading': {
      const label = b.label ? `${esc(b.label)}${locale === 'en' ? ' ' : ''}` : '';
      // h2..h5: the title is the page's h1.
      return `<h${b.level + 1} class="nk-h nk-h${b.level}">${label}${esc(b.text)}</h${b.level + 1}>`;
    }
    case 'paragraph':
      return b.text.trim() === '' ? '<p class="nk-p">&nbsp;</p>' : `<p class="nk-p">${lines(b.text)}</p>`;
    case 'table':
      return tableHtml(b);
    case 'keyValue':
      return (
        '<table class="nk-kv"><tbody>' +
        b.rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${lines(v)}</td></tr>`).join('') +
        '</tbody></table>'
      );
    case 'svg':
      return (
        `<figure style="max-width:${b.width}px">${b.svg.replace(/^\s*<\?xml[^>]*>\s*/i, '')}` +
        (b.caption ? `<figcaption>${esc(b.caption)}</figcaption>` : '') +
        '</figure>'
      );
  }
}

function tableHtml(b: TableBlock): string {
  const cls = (align?: string) =>
    align === 'center' ? ' class="nk-c"' : align === 'right' ? ' class="nk-r"' : '';
  const total = b.columns.every((c) => c.width) ? b.columns.reduce((a, c) => a + c.width!, 0) : 0;
  const cols = total
    ? `<colgroup>${b.columns.map((c) => `<col style="width:${((c.width! / total) * 100).toFixed(2)}%">`).join('')}</colgroup>`
    : '';
  return (
    '<table>' +
    (b.caption ? `<caption>${esc(b.caption)}</caption>` : '') +
    cols +
    `<thead><tr>${b.columns.map((c) => `<th scope="col">${esc(c.title)}</th>`).join('')}</tr></thead>` +
    '<tbody>' +
    b.rows
      .map(
        (row) =>
          `<tr>${row.map((cell, i) => `<td${cls(b.columns[i].align)}>${lines(cell)}</td>`).join('')}</tr>`,
      )
      .join('') +
    '</tbody></table>'
  );
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Escaped, with the text's own line breaks kept (the PDF keeps them too). */
function lines(text: string): string {
  return esc(text).replace(/\n/g, '<br>');
}

function oneLine(doc: OfficialDocument): string {
  return doc.title.replace(/\s*\n\s*/g, doc.locale === 'zh-CN' ? '' : ' ');
}

/** Width of a bold line in ems: full-width characters 1, Latin letters, digits and spaces about 0.6. */
function emWidth(text: string): number {
  let em = 0;
  for (const ch of text) em += ch.charCodeAt(0) < 0x2e80 ? 0.6 : 1;
  return Math.max(em, 1);
}
