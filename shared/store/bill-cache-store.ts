/**
 * The Cost Explorer answers GET /v1/reports/costs keeps (shared/costs/billed-costs.ts):
 * one item per range and day read, removed by the table's TTL, so a day's
 * refreshes pay Cost Explorer's $0.01 once.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BillCache, KeptBill } from '../costs/billed-costs';
import type { CostDays } from '../costs/cloudwatch-costs';
import { billedCostsKey } from './keys';
import { TTL_ATTRIBUTE } from './table-definition';

export class DynamoBillCache implements BillCache {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(days: CostDays, readOn: string): Promise<KeptBill | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: billedCostsKey(days.from, days.to, readOn) }));
    if (!out.Item) return undefined;
    return { available: true, services: out.Item.services, total: Number(out.Item.total), readOn };
  }

  async put(days: CostDays, bill: KeptBill, removeAfter: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...billedCostsKey(days.from, days.to, bill.readOn),
          itemType: 'billed-costs',
          services: bill.services,
          total: bill.total,
          [TTL_ATTRIBUTE]: removeAfter,
        },
      }),
    );
  }
}
