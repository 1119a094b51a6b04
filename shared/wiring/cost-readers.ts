/**
 * Where GET /v1/reports/costs reads its figures on AWS (no local cost log,
 * docs/costs.md): the cost metrics, cached a few minutes per window in this
 * container, and the bill by the stack's tags, kept in the table for the day.
 * Apart from the wiring's index so that only the reports function bundles the
 * CloudWatch and Cost Explorer clients.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { AwsCostReaders } from '../club/costs';
import { billedCosts, costExplorerClient } from '../costs/billed-costs';
import { cachedCostMetrics } from '../costs/cloudwatch-costs';
import { COST_SERVICE } from '../costs/record';
import { DynamoBillCache } from '../store/bill-cache-store';
import { wiring } from './index';

let built: { key: string; readers: AwsCostReaders | undefined } | undefined;

/** The readers for the wiring as it is now; undefined locally, where the cost log is read. */
export function costReaders(): AwsCostReaders | undefined {
  const { config, db } = wiring();
  const key = JSON.stringify(config);
  if (built?.key !== key) built = { key, readers: config.costsFile ? undefined : awsCostReaders(db, config.tableName, config.stage) };
  return built.readers;
}

function awsCostReaders(db: ReturnType<typeof wiring>['db'], tableName: string, stage: string): AwsCostReaders {
  const cloudWatch = new CloudWatchClient({});
  const costExplorer = costExplorerClient();
  const kept = new DynamoBillCache(db, tableName);
  return {
    metrics: cachedCostMetrics(cloudWatch, COST_SERVICE),
    bill: (days, now) => billedCosts(costExplorer, kept, days, stage, now),
  };
}
