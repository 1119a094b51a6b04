/**
 * GET /v1/reports/costs: what the club's requests cost at the dated list prices,
 * per route, per 1,000 orders and per member per month (docs/costs.md).
 */
import { readCostLog } from '../costs/cost-log';
import { PRICES } from '../costs/prices';
import { costsByRoute, totalCost } from '../costs/request-cost';
import { reportFigures, type ReportWindow } from '../domain/report-figures';
import { daysBetween } from '../domain/report-counters';
import type { ClubDeps } from './deps';

const DAYS_PER_MONTH = 30.4375;
const usd = (x: number) => Math.round(x * 1e6) / 1e6;

export async function costReport(deps: ClubDeps, window: ReportWindow, costsFile: string | undefined) {
  const days = deps.reports ? await deps.reports.daysUpTo(window.to) : new Map();
  const figures = reportFigures(days, window);
  const base = { from: window.from, to: window.to, prices: PRICES, orders: figures.orders, members: figures.members };
  if (!costsFile) {
    return {
      ...base,
      source: 'cloudwatch' as const,
      note: 'On AWS each request writes its cost as a CloudWatch embedded metric (namespace LoyaltyClub, metric CostMicroUsd by Service and Route): see the stack dashboard. This route reads the local cost log only.',
      requests: 0,
      totalCost: 0,
      routes: [],
      costPer1000Orders: null,
      costPerMemberPerMonth: null,
    };
  }
  const records = await readCostLog(costsFile, window.from, window.to);
  const total = totalCost(records, PRICES);
  const months = (daysBetween(window.from, window.to) + 1) / DAYS_PER_MONTH;
  return {
    ...base,
    source: 'local-log' as const,
    requests: records.length,
    totalCost: usd(total),
    routes: costsByRoute(records, PRICES),
    costPer1000Orders: figures.orders > 0 ? usd((total / figures.orders) * 1000) : null,
    costPerMemberPerMonth: figures.members > 0 ? usd(total / figures.members / months) : null,
  };
}
