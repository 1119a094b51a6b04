/**
 * GET /v1/reports/costs: what the club's requests cost at the dated list prices,
 * per route, per service, per 1,000 orders, per 1,000 webhook deliveries and per
 * member per month (docs/costs.md).
 */
import type { BilledCosts } from '../costs/billed-costs';
import { reportFromMetrics, type CostDays, type MetricCosts } from '../costs/cloudwatch-costs';
import { readCostLog } from '../costs/cost-log';
import { fixedMonthly, type FloorOptions } from '../costs/monthly-floor';
import { PRICES } from '../costs/prices';
import { COST_SERVICE } from '../costs/record';
import {
  costSplit,
  costsByRoute,
  metricSeries,
  roundSplit,
  isWebhookPath,
  isWebhookReceiver,
  type CostBreakdown,
} from '../costs/request-cost';
import { reportFigures, type ReportWindow } from '../domain/report-figures';
import { daysBetween } from '../domain/report-counters';
import type { ClubDeps } from './deps';

const DAYS_PER_MONTH = 30.4375;
const usd = (x: number) => Math.round(x * 1e6) / 1e6;

/** On AWS, where the figures come from (built by shared/wiring): the cost metrics (cached in the Lambda) and the bill (kept daily). */
export interface AwsCostReaders {
  readonly metrics: (days: CostDays) => Promise<MetricCosts>;
  readonly bill: (days: CostDays, now: Date) => Promise<BilledCosts>;
}

/** The bill beside the model: `modelled` is the requests' cost plus the fixed floor for the window's days. */
function besideModel(bill: BilledCosts, modelled: number) {
  if (!bill.available) return { available: false, reason: bill.reason, services: [], total: null, modelled, difference: null };
  return {
    available: true,
    readOn: bill.readOn,
    services: bill.services,
    total: bill.total,
    modelled,
    difference: usd(bill.total - modelled),
  };
}

/**
 * `deployed`: what the stack deploys besides its fixed parts (the dashboard, how the functions' errors
 * are alarmed), which the floor counts; unset, prod's defaults (no dashboard, an alarm per function).
 */
export async function costReport(
  deps: ClubDeps,
  window: ReportWindow,
  costsFile: string | undefined,
  aws?: AwsCostReaders,
  deployed: Omit<FloorOptions, 'functions'> = { dashboard: false },
) {
  const days = await deps.reports.daysUpTo(window.to);
  const figures = reportFigures(days, window);
  const base = { from: window.from, to: window.to, prices: PRICES, orders: figures.orders, members: figures.members };
  if (!costsFile) {
    // On AWS (no local cost log): the cost metrics the handlers emitted, and the bill beside them.
    if (!aws) throw new Error('no cost log (LOYALTY_COSTS_FILE) and no CloudWatch reader: cannot answer the costs report');
    const [metrics, bill] = await Promise.all([aws.metrics(window), aws.bill(window, deps.now())]);
    const modelled = reportFromMetrics(metrics);
    const floor = fixedMonthly(metrics.series, PRICES, deployed);
    const months = (daysBetween(window.from, window.to) + 1) / DAYS_PER_MONTH;
    return {
      ...base,
      source: 'cloudwatch' as const,
      note: "Read from the cost metrics (CloudWatch namespace LoyaltyClub, CostMicroUsd by Service and Route): they carry each invocation's total, not its split by service or its units.",
      ...modelled,
      costPer1000Orders: figures.orders > 0 ? usd((modelled.totalCost / figures.orders) * 1000) : null,
      costPerMemberPerMonth: figures.members > 0 ? usd(modelled.totalCost / figures.members / months) : null,
      fixedMonthly: floor,
      billed: besideModel(bill, usd(modelled.totalCost + floor.total * months)),
    };
  }
  const records = await readCostLog(costsFile, window.from, window.to);
  const byService = costSplit(records, PRICES);
  const total = byService.total;
  // Every request to a receiver is a delivery a store sent (refused and retried ones too);
  // handling them costs those requests and the consumer's batches that applied them.
  const webhookLines = records.filter((r) => isWebhookPath(r.route));
  const deliveries = webhookLines.filter((r) => isWebhookReceiver(r.route)).length;
  const webhookSplit = costSplit(webhookLines, PRICES);
  const months = (daysBetween(window.from, window.to) + 1) / DAYS_PER_MONTH;
  return {
    ...base,
    source: 'local-log' as const,
    requests: records.length,
    totalCost: usd(total),
    routes: costsByRoute(records, PRICES),
    costPer1000Orders: figures.orders > 0 ? usd((total / figures.orders) * 1000) : null,
    costPerMemberPerMonth: figures.members > 0 ? usd(total / figures.members / months) : null,
    byService: roundSplit(byService),
    webhooks: {
      deliveries,
      batches: webhookLines.length - deliveries,
      totalCost: usd(webhookSplit.total),
      costPer1000Deliveries: deliveries > 0 ? usd((webhookSplit.total / deliveries) * 1000) : null,
      byService: roundSplit(webhookSplit),
    },
    fixedMonthly: fixedMonthly(metricSeries(records, COST_SERVICE).size, PRICES, deployed),
  };
}

export type CostReport = Awaited<ReturnType<typeof costReport>>;

const SERVICES = ['dynamodb', 'lambda', 'apiGateway', 'sqs', 'scheduler', 'eventBridge', 'logs', 'xray', 'init'] as const;

/** The CSV's columns: a route's figures, then what it cost in the window, in all and by service (USD). */
export const COST_CSV_COLUMNS = [
  'route',
  'requests',
  'rruPerRequest',
  'wruPerRequest',
  'wruPricedPerRequest',
  'wruCancelledPerRequest',
  'msPerRequest',
  'costPerRequest',
  'costPerMillion',
  'records',
  'costPerRecord',
  'cost',
  ...SERVICES,
  'count',
  'unitPrice',
] as const;

const period = (split: CostBreakdown) => ({ cost: split.total, ...Object.fromEntries(SERVICES.map((s) => [s, split[s]])) });

/**
 * The cost report as CSV rows: one per route, then "(webhook deliveries)"
 * (receiver + consumer; records = deliveries, costPerRecord = per delivery) and
 * "(total)" (the window by service). The last two repeat routes' cost: don't add them up.
 * Then "(per 1000 orders)", "(per member per month)" and "(per 1000 webhook deliveries)" (cost = the
 * figure, count = what it divides by; cost empty when that is 0); then "(fixed monthly) <resource>" rows
 * (count × unitPrice = cost per month), their total, "(fixed monthly) idle" (without the custom metrics)
 * and "(fixed monthly) idle in free tier" (in an account of its own); on AWS "(billed) <service>" rows
 * (Cost Explorer), "(billed) total", "(billed) modelled" and "(billed) difference".
 */
export function costCsvRows(report: CostReport): Record<string, unknown>[] {
  const M = 1_000_000;
  const routes = report.routes.map((r) => {
    const split = Object.fromEntries(
      Object.entries(r.costPerMillion).map(([k, v]) => [k, Math.round((v * r.requests * 1e10) / M) / 1e10]),
    ) as unknown as CostBreakdown;
    return { ...r, costPerMillion: r.costPerMillion.total, ...period(split) };
  });
  const w = report.webhooks;
  const webhooks = {
    route: '(webhook deliveries)',
    requests: w.deliveries + w.batches,
    records: w.deliveries,
    costPerRecord: w.deliveries > 0 ? Math.round((w.byService.total / w.deliveries) * 1e10) / 1e10 : '',
    ...period(w.byService),
  };
  const total = { route: '(total)', requests: report.requests, ...period(report.byService) };
  // The headline figures of the JSON answer, beside what each divides by (null there: an empty cell).
  const per = [
    { route: '(per 1000 orders)', count: report.orders, cost: report.costPer1000Orders ?? '' },
    { route: '(per member per month)', count: report.members, cost: report.costPerMemberPerMonth ?? '' },
    { route: '(per 1000 webhook deliveries)', count: w.deliveries, cost: w.costPer1000Deliveries ?? '' },
  ];
  // The month's fixed floor, not the window's: a row per resource (count × unitPrice = cost), then its sum.
  const fixed = report.fixedMonthly.items.map((i) => ({
    route: `(fixed monthly) ${i.resource}`,
    count: i.count,
    unitPrice: i.unitPrice,
    cost: i.monthly,
  }));
  // On AWS, the bill per service for the same days, its total and its difference from the model (cost = USD).
  const billed =
    'billed' in report
      ? [
          ...report.billed.services.map((b) => ({ route: `(billed) ${b.service}`, cost: b.amount })),
          { route: '(billed) total', cost: report.billed.total ?? '' },
          { route: '(billed) modelled', cost: report.billed.modelled },
          { route: '(billed) difference', cost: report.billed.difference ?? '' },
        ]
      : [];
  const floor = [
    { route: '(fixed monthly) total', cost: report.fixedMonthly.total },
    { route: '(fixed monthly) idle', cost: report.fixedMonthly.idle },
    { route: '(fixed monthly) idle in free tier', cost: report.fixedMonthly.idleInFreeTier },
  ];
  return [...routes, webhooks, total, ...per, ...fixed, ...floor, ...billed];
}
