/**
 * Charts drawn by echarts on the server, as SVG: the same markup goes into the HTML page and,
 * through svg-to-pdfkit, into the PDF. Made deterministic and safe to embed:
 * - no animation, and zrender's per-process ids (`zr3-c0`) replaced by the chart's own id, so the
 *   same figures always give the same bytes and two charts on one page never share an id;
 * - inline `style` attributes turned into presentation attributes, and echarts' hover `<style>`
 *   dropped: the pages' Content-Security-Policy allows no inline styles, and SVG attributes are
 *   not styles;
 * - text halos dropped (svg-to-pdfkit cannot draw them under the text);
 * - fonts named without quotes (echarts writes the family into a double-quoted attribute
 *   unescaped) and CJK-capable; text widths are measured by echarts' own table, where a CJK
 *   character is one em wide.
 *
 * @example
 * const svg = barChart({ id: 'levels', title: '处理等级', categories: ['1', '2'], series: [{ name: '人次', data: [3, 1] }] });
 * svg.startsWith('<svg') // true, and no "style=" in it
 */
import * as echarts from 'echarts';

/** CJK-capable faces of most systems; the PDF maps every family to its embedded Noto Sans. */
export const CHART_FONT =
  'Noto Sans SC, Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif';

export interface Chart {
  svg: string;
  width: number;
  height: number;
}

// Properties echarts writes into `style` that SVG also takes as attributes.
const PRESENTATION = new Set([
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'opacity',
  'fill-opacity',
  'stroke-opacity',
  'paint-order',
]);

/** Makes echarts' SVG deterministic and free of inline styles (see the module comment). */
export function cleanSvg(svg: string, id: string, title: string): string {
  const safeId = id.replace(/[^A-Za-z0-9_-]/g, '-');
  return (
    svg
      .replace(/<style[\s\S]*?<\/style>\s*/g, '')
      .replace(/ (class|pointer-events|ecmeta_[a-z_]+)="[^"]*"/g, '')
      .replace(/ style="([^"]*)"/g, (_m, css: string) =>
        css
          .split(';')
          .map((decl) => decl.trim())
          .filter(Boolean)
          .map((decl) => {
            const at = decl.indexOf(':');
            const prop = decl.slice(0, at).trim();
            const val = decl.slice(at + 1).trim();
            return PRESENTATION.has(prop) ? ` ${prop}="${val.replace(/"/g, '')}"` : '';
          })
          .join(''),
      )
      // A text halo (white stroke under the fill) needs paint-order, which svg-to-pdfkit ignores:
      // the stroke would hide the text in the PDF, so the halo goes.
      .replace(/<text [^>]*paint-order="stroke"[^>]*>/g, (tag) =>
        tag.replace(/ (stroke|stroke-width|stroke-miterlimit|paint-order)="[^"]*"/g, ''),
      )
      .replace(/\bzr\d+-/g, `${safeId}-`)
      .replace(/<defs\s*>/g, '<defs>')
      .replace(
        /<svg ([^>]*)>/,
        `<svg $1 role="img" aria-label="${escapeXml(title)}"><title>${escapeXml(title)}</title>`,
      )
  );
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Renders an echarts option to clean SVG. */
export function renderChart(
  id: string,
  title: string,
  option: echarts.EChartsCoreOption,
  width = 640,
  height = 320,
): Chart {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: CHART_FONT },
      ...option,
    });
    return { svg: cleanSvg(chart.renderToSVGString(), id, title), width, height };
  } finally {
    // Without dispose, zrender's frame timer keeps the process alive.
    chart.dispose();
  }
}

const titleOption = (text: string) => ({
  text,
  left: 'center',
  top: 6,
  textStyle: { fontSize: 15, fontWeight: 'bold' as const, fontFamily: CHART_FONT },
});

export interface Series {
  name: string;
  data: (number | null)[];
}

/**
 * Columns of counts with lines of percentages on a second axis: the twelve-month trend.
 * @example trendChart({ id: 'trend', title: '近十二个月办件情况', categories: months, bars, lines })
 */
export function trendChart(o: {
  id: string;
  title: string;
  categories: string[];
  bars: Series[];
  lines: Series[];
  countAxis: string;
  percentAxis: string;
}): Chart {
  return renderChart(o.id, o.title, {
    title: titleOption(o.title),
    legend: { bottom: 4, textStyle: { fontFamily: CHART_FONT } },
    grid: { left: 56, right: 56, top: 48, bottom: 64 },
    xAxis: { type: 'category', data: o.categories },
    yAxis: [
      { type: 'value', name: o.countAxis, minInterval: 1 },
      { type: 'value', name: o.percentAxis, min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    ],
    series: [
      ...o.bars.map((s) => ({ name: s.name, type: 'bar', data: s.data })),
      ...o.lines.map((s) => ({ name: s.name, type: 'line', yAxisIndex: 1, data: s.data, symbolSize: 5 })),
    ],
  });
}

/**
 * Horizontal grouped bars, one group per category (items: committed, statutory, days used).
 * @example barChart({ id: 'items', title: '承诺时限与实际用时', categories: names, series, horizontal: true })
 */
export function barChart(o: {
  id: string;
  title: string;
  categories: string[];
  series: Series[];
  horizontal?: boolean;
  axisName?: string;
  /** A fixed top of the value axis (100 for percentages). */
  max?: number;
}): Chart {
  const height = o.horizontal ? Math.max(240, 90 + o.categories.length * (14 + 8 * o.series.length)) : 300;
  const category = {
    type: 'category',
    data: o.categories,
    inverse: !!o.horizontal,
    axisLabel: { fontSize: 11, width: 170, overflow: 'truncate' },
  };
  const value = {
    type: 'value',
    name: o.axisName,
    minInterval: 1,
    ...(o.max === undefined ? {} : { min: 0, max: o.max }),
  };
  return renderChart(
    o.id,
    o.title,
    {
      title: titleOption(o.title),
      legend: { bottom: 4, textStyle: { fontFamily: CHART_FONT } },
      grid: { left: o.horizontal ? 190 : 56, right: 40, top: 48, bottom: 56 },
      xAxis: o.horizontal ? value : category,
      yAxis: o.horizontal ? category : value,
      series: o.series.map((s) => ({ name: s.name, type: 'bar', data: s.data, barMaxWidth: 18 })),
    },
    640,
    height,
  );
}

/**
 * A pie of parts of a whole, labelled with counts and shares.
 * @example pieChart({ id: 'online', title: '网上办理占比', slices: [{ name: '网上', value: 36 }, { name: '窗口', value: 10 }] })
 */
export function pieChart(o: {
  id: string;
  title: string;
  slices: { name: string; value: number; color?: string }[];
}): Chart {
  return renderChart(
    o.id,
    o.title,
    {
      title: titleOption(o.title),
      legend: { bottom: 4, textStyle: { fontFamily: CHART_FONT } },
      series: [
        {
          type: 'pie',
          radius: ['0%', '52%'],
          center: ['50%', '50%'],
          data: o.slices.map((s) => ({
            name: s.name,
            value: s.value,
            ...(s.color ? { itemStyle: { color: s.color } } : {}),
          })),
          label: { formatter: '{b}\n{c} ({d}%)', fontFamily: CHART_FONT, overflow: 'none', lineHeight: 16 },
        },
      ],
    },
    560,
    300,
  );
}
