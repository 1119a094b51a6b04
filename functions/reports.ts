/** GET /v1/reports/*: figures from the day counters (docs/reports.md), JSON or CSV. */
import { COST_CSV_COLUMNS, costCsvRows, costReport } from '../shared/club/costs';
import { dashboardByDefault } from '../shared/costs/monthly-floor';
import { reportSeries, reportSummary, reportWindow, toCsv } from '../shared/club/reports';
import { json, type CsvText, type Reply } from '../shared/http/errors';
import { input, routeTable, type ClubRequest } from '../shared/http/route-handler';
import { defaultPointValue } from '../shared/domain/currency';
import { CostsQuery, SERIES_METRICS, SeriesQuery, SummaryQuery } from '../shared/schemas/reports';
import { wiring } from '../shared/wiring';
import { costReaders } from '../shared/wiring/cost-readers';

const wantsCsv = (req: ClubRequest, format: 'json' | 'csv' | undefined) =>
  format === 'csv' || (format === undefined && (req.headers.accept ?? '').includes('text/csv'));

function csv(name: string, body: string): Reply<200, CsvText> {
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` },
    body,
  };
}

/** What a point is worth for the liability: the program's checkout value, else LOYALTY_POINT_VALUE, else the currency's default. */
const settings = async (req: ClubRequest) => {
  const program = await req.deps.program();
  return {
    pointValue: program.pointValue ?? wiring().config.pointValue ?? defaultPointValue(program.currency),
    displayCurrency: program.displayCurrency,
  };
};

export const handler = routeTable({
  'GET /v1/reports/summary': async (req) => {
    const q = input(SummaryQuery, req.query, 'query');
    const window = reportWindow(q.from, q.to, req.deps.now());
    const view = await reportSummary(req.deps, window, await settings(req));
    if (!wantsCsv(req, q.format)) return json(200, view);
    // The CSV stays the one row of figures; the per-challenge list is in the JSON answer.
    const { challenges: _perChallenge, ...row } = view;
    return csv(`loyalty-summary-${window.from}-${window.to}`, toCsv(Object.keys(row), [row]));
  },
  'GET /v1/reports/series': async (req) => {
    const q = input(SeriesQuery, req.query, 'query');
    const window = reportWindow(q.from, q.to, req.deps.now());
    const series = await reportSeries(req.deps, window, q.interval, await settings(req));
    const metrics: readonly string[] = q.metric ?? SERIES_METRICS;
    const items = series.items.map((f) => {
      const row: Record<string, string | number | boolean> = { from: f.from, to: f.to };
      for (const m of metrics) row[m] = f[m as keyof typeof f];
      return row;
    });
    if (wantsCsv(req, q.format))
      return csv(`loyalty-series-${q.interval}-${window.from}-${window.to}`, toCsv(['from', 'to', ...metrics], items));
    return json(200, {
      from: window.from,
      to: window.to,
      interval: q.interval,
      currency: series.currency,
      displayCurrency: series.displayCurrency,
      displayRate: series.displayRate,
      metrics,
      items,
    });
  },
  'GET /v1/reports/costs': async (req) => {
    const q = input(CostsQuery, req.query, 'query');
    const window = reportWindow(q.from, q.to, req.deps.now());
    const { costsFile, dashboard, errorAlarms, stage } = wiring().config;
    const deployed = { dashboard: dashboard ?? dashboardByDefault(stage), errorAlarms: errorAlarms ?? 'function' };
    const report = await costReport(req.deps, window, costsFile, costReaders(), deployed);
    if (!wantsCsv(req, q.format)) return json(200, report);
    return csv(`loyalty-costs-${window.from}-${window.to}`, toCsv(COST_CSV_COLUMNS, costCsvRows(report)));
  },
});
