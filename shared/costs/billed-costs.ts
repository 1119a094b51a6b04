/**
 * The bill beside the model: what AWS billed the stack per service for the
 * report's days, from Cost Explorer (GetCostAndUsage filtered by the stack's
 * `project` and `stage` cost allocation tags, daily, grouped by SERVICE).
 * Cost Explorer charges $0.01 per request, so each range's answer is kept in
 * the table for the day it was read (BillCache): at most one call per day per range.
 */
import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import type { CostDays } from './cloudwatch-costs';

/** The stack's cost allocation tags (infra/loyalty-stack.ts tags every resource with them). */
export const PROJECT_TAG_VALUE = 'loyalty-club';

/**
 * Cost Explorer has one endpoint, https://ce.us-east-1.amazonaws.com, whatever
 * the stack's region ("Service endpoint" in
 * https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/ce-api.html).
 */
export const COST_EXPLORER_REGION = 'us-east-1';

export const costExplorerClient = () => new CostExplorerClient({ region: COST_EXPLORER_REGION });

export interface BilledService {
  /** Cost Explorer's SERVICE dimension value: "Amazon DynamoDB", "AWS Lambda", ... */
  readonly service: string;
  /** USD, UnblendedCost summed over the days. */
  readonly amount: number;
}

export type BilledCosts =
  | { readonly available: true; readonly services: readonly BilledService[]; readonly total: number; readonly readOn: string }
  /** Cost Explorer refused or had nothing (no permission, tags not active, data not there yet): the model stands alone. */
  | { readonly available: false; readonly reason: string };

export type KeptBill = Extract<BilledCosts, { available: true }>;

/** Where a range's bill is kept for the day it was read (shared/store/bill-cache-store.ts). */
export interface BillCache {
  get(days: CostDays, readOn: string): Promise<KeptBill | undefined>;
  put(days: CostDays, bill: KeptBill, removeAfter: number): Promise<void>;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** GetCostAndUsage for the days, every page (NextPageToken), summed per service. */
async function askCostExplorer(ce: CostExplorerClient, days: CostDays, stage: string): Promise<Map<string, number>> {
  const byService = new Map<string, number>();
  let NextPageToken: string | undefined;
  do {
    const out = await ce.send(
      new GetCostAndUsageCommand({
        // End is exclusive: the day after the report's last.
        TimePeriod: { Start: days.from, End: dayAfter(days.to) },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
        Filter: {
          And: [
            { Tags: { Key: 'project', Values: [PROJECT_TAG_VALUE], MatchOptions: ['EQUALS'] } },
            { Tags: { Key: 'stage', Values: [stage], MatchOptions: ['EQUALS'] } },
          ],
        },
        NextPageToken,
      }),
    );
    for (const day of out.ResultsByTime ?? [])
      for (const g of day.Groups ?? []) {
        const service = g.Keys?.[0] ?? '(unknown)';
        byService.set(service, (byService.get(service) ?? 0) + Number(g.Metrics?.UnblendedCost?.Amount ?? 0));
      }
    NextPageToken = out.NextPageToken;
  } while (NextPageToken);
  return byService;
}

/**
 * The billed amounts for the days: the one kept for today if there is one,
 * else one Cost Explorer read, kept until the end of tomorrow (UTC). A refusal
 * or an error is an unavailable figure, never the report's failure, and is not
 * kept (the next refresh asks again: a refused call is not billed).
 */
export async function billedCosts(
  ce: CostExplorerClient,
  cache: BillCache,
  days: CostDays,
  stage: string,
  now: Date,
): Promise<BilledCosts> {
  const readOn = now.toISOString().slice(0, 10);
  const kept = await cache.get(days, readOn);
  if (kept) return kept;
  let byService: Map<string, number>;
  try {
    byService = await askCostExplorer(ce, days, stage);
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return { available: false, reason: `${e.name ?? 'Error'}: ${e.message ?? String(err)}` };
  }
  const services = [...byService.entries()]
    .map(([service, amount]) => ({ service, amount: round(amount) }))
    .sort((a, b) => b.amount - a.amount || a.service.localeCompare(b.service));
  const bill: KeptBill = { available: true, services, total: round([...byService.values()].reduce((a, v) => a + v, 0)), readOn };
  await cache.put(days, bill, Math.floor(Date.parse(`${dayAfter(dayAfter(readOn))}T00:00:00Z`) / 1000));
  return bill;
}
