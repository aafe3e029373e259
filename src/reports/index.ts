/**
 * reports (四个一): the daily bulletin (每日一通报), the weekly report (每周一报告), the monthly
 * analysis (每月一分析) and the quarterly publication (每季度一公布, public). Figures come from
 * set-based queries over the case ledger, the catalogue and the other modules; each report is an
 * HTML page and a PDF from one template (templates/documents/report-*.yaml) with server-drawn
 * SVG charts, in Chinese and English; a generated report is frozen, and generating it again makes
 * a new version that lists what changed.
 *
 * @example
 * import { catchUpReports, generateReport, startReportTimer } from './reports/index.ts';
 * const timer = startReportTimer(deps);                 // catches up at start, then every 15 min
 * await generateReport(db, { kind: 'monthly', period: '2026-03', timeZone, actor, trigger: 'request' });
 */
export { type CatalogueFigures, type CatalogueItem, catalogueFigures } from './catalogue.ts';
export { type Chart, cleanSvg, renderChart } from './charts.ts';
export { diffNumbers } from './diff.ts';
export {
  computeNumbers,
  type DailyNumbers,
  type FigureContext,
  type MonthlyNumbers,
  monthlyLedger,
  type QuarterlyNumbers,
  type ReportNumbers,
  type WeeklyNumbers,
} from './figures/index.ts';
export type { Outcomes, Range } from './ledger.ts';
export {
  isOver,
  lastCompleted,
  type Period,
  parsePeriod,
  periodContaining,
  previousPeriod,
  REPORT_KINDS,
  type ReportKind,
} from './periods.ts';
export { formatAverage, formatPercent, type Ratio, ratio } from './ratio.ts';
export { type RenderedReport, type RenderMeta, renderReport, reportDocument } from './render/index.ts';
export { reportRoutes, sendPdf } from './routes.ts';
export {
  type CatchUpOptions,
  catchUpReports,
  periodsDue,
  type ReportTimer,
  startReportTimer,
} from './schedule.ts';
export { reportVersions, type StoredChange } from './schema.ts';
export {
  type GeneratedVersion,
  type GenerateInput,
  generateReport,
  getReportVersion,
  hasReport,
  listReports,
  type ReportSummary,
  type ReportVersionRow,
  reportHistory,
} from './store.ts';
